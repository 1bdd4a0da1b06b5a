package dev.nanodb.api;

/** Shared collection definitions and paths of the API scenario tables (single quotes stand for double quotes). */
final class Fixtures {
    private Fixtures() {}

    /** The PocketBase-shaped {@code posts} collection used throughout: required, select, indexed, unique, hidden. */
    static final String POSTS = "{'name':'posts','type':'base','fields':["
            + "{'name':'title','type':'text','required':true},"
            + "{'name':'status','type':'select','values':['draft','published']},"
            + "{'name':'views','type':'number','indexed':true},"
            + "{'name':'slug','type':'text','unique':true},"
            + "{'name':'secret','type':'text','hidden':true}],'listRule':'','viewRule':''}";

    /** A collection with one field of each validated type and limits. */
    static final String KINDS = "{'name':'kinds','fields':["
            + "{'name':'code','type':'text','min':3,'max':5},"
            + "{'name':'mail','type':'email'},"
            + "{'name':'site','type':'url'},"
            + "{'name':'day','type':'date'},"
            + "{'name':'flag','type':'bool'},"
            + "{'name':'score','type':'number','min':0,'max':10},"
            + "{'name':'zip','type':'text','pattern':'^[0-9]{5}$'},"
            + "{'name':'tags','type':'select','values':['a','b','c'],'maxSelect':2},"
            + "{'name':'state','type':'select','values':['new','old'],'default':'new'},"
            + "{'name':'count','type':'number','default':0},"
            + "{'name':'author','type':'relation','collection':'users'},"
            + "{'name':'meta','type':'json'}]}";

    static final String SECRET = "TOPSECRET-VALUE-42";

    static final String ID_RE = "[a-z0-9]{15}";
    static final String TIME_RE = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    static String records(String collection) {
        return "/api/collections/" + collection + "/records";
    }

    static String record(String collection, String id) {
        return records(collection) + "/" + id;
    }

    static String post(String title, int views, String status) {
        return "{'title':'" + title + "','views':" + views + ",'status':'" + status + "'}";
    }
}
