package dev.nanodb.api;

/** Batch request bodies in both shapes, as scenario text (single quotes stand for double quotes, see {@link Step}). */
final class BatchOps {
    private BatchOps() {}

    /** One PocketBase-shape operation ({@code body} null = none). */
    static String pb(String method, String url, String body) {
        return "{'method':'" + method + "','url':'" + url + "'" + (body == null ? "" : ",'body':" + body) + "}";
    }

    /** One seed-shape operation ({@code id} and {@code data} null = none). */
    static String seed(String method, String collection, String id, String data) {
        return "{'method':'" + method + "','collection':'" + collection + "'" + (id == null ? "" : ",'id':'" + id + "'")
                + (data == null ? "" : ",'data':" + data) + "}";
    }

    /** A batch body of these operations. */
    static String requests(String... ops) {
        return "{'requests':[" + String.join(",", ops) + "]}";
    }
}
