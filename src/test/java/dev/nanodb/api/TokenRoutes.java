package dev.nanodb.api;

import java.util.List;

/**
 * Every route that reads the {@code Authorization} header, enumerated from {@code dev.nanodb.http.*Routes}, with the
 * status each answers without a token (what docs/API.md documents for an anonymous caller) and with the default
 * superuser's token. They all run after the token is resolved for {@code /api/*}, so a present but invalid token
 * must be 401 on each under {@code INVALID_TOKEN=reject} and get the anonymous answer under the default
 * {@code guest}. The identity handler skips the
 * login routes' paths ({@code SignInPaths}), so they ignore the header ({@link #LOGINS}); the health checks and the dashboard never read it.
 *
 * <p>Paths name a superusers-only collection {@code locked} with one record ({@link #setup}), unknown backup keys
 * and an unknown record id, so that running the table as the superuser changes nothing that a later row needs.
 * Bodies use the scenario convention: single quotes stand for double quotes.
 */
final class TokenRoutes {
    private TokenRoutes() {}

    /** One route; {@code stream} marks the realtime stream, which answers a valid caller with an endless body. */
    record Route(String method, String path, String body, int anonymous, int superuser, boolean stream) {
        Route(String method, String path, String body, int anonymous, int superuser) {
            this(method, path, body, anonymous, superuser, false);
        }

        Step step() {
            return Step.request(method, path, body);
        }

        /** This route sent to {@code server} with {@code authorization} (null = no header). */
        java.net.http.HttpResponse<String> send(dev.nanodb.testing.TestServer server, String authorization) {
            String sent = body == null ? null : Step.quotes(body);
            return authorization == null ? server.send(method, path, sent)
                    : server.send(method, path, sent, "Authorization", authorization);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static final String RECORD = "/api/collections/locked/records/lockedrecord001";

    /** The superusers-only collection {@code locked} and its record {@code lockedrecord001}, created as the superuser. */
    static List<Step> setup() {
        return List.of(Step.collection("{'name':'locked','fields':[{'name':'t','type':'text'}]}"),
                Step.create("locked", "{'id':'lockedrecord001','t':'a'}"));
    }

    static final List<Route> ROUTES = List.of(
            // RecordRoutes: null rules answer 403 to everyone but superusers
            new Route("GET", "/api/collections/locked/records", null, 403, 200),
            new Route("GET", RECORD, null, 403, 200),
            new Route("POST", "/api/collections/locked/records", "{'t':'b'}", 403, 200),
            new Route("PATCH", RECORD, "{'t':'c'}", 403, 200),
            new Route("DELETE", "/api/collections/locked/records/zzzzzzzzzzzzzzz", null, 403, 404),
            // AuthRoutes: auth-refresh needs a token of that collection
            new Route("POST", "/api/collections/users/auth-refresh", null, 401, 403),
            // BatchRoutes: the operation fails as its single route would, the batch is 400
            new Route("POST", "/api/batch", "{'requests':[{'method':'POST','url':'/api/collections/locked/records',"
                    + "'body':{'t':'d'}}]}", 400, 200),
            // RealtimeRoutes: anyone may open a stream; an unknown client id is 404
            new Route("GET", "/api/realtime", null, 200, 200, true),
            new Route("POST", "/api/realtime", "{'clientId':'nope','subscriptions':[]}", 404, 404),
            // OpsRoutes and SettingsRoutes: superusers only
            new Route("GET", "/api/stats", null, 401, 200),
            new Route("GET", "/api/admin/consistency", null, 401, 200),
            new Route("GET", "/api/operations", null, 401, 200),
            new Route("GET", "/api/settings/warnings", null, 401, 200),
            // CollectionRoutes: superusers only
            new Route("GET", "/api/collections", null, 401, 200),
            new Route("POST", "/api/collections", "{'name':'made'}", 401, 200),
            new Route("GET", "/api/collections/locked", null, 401, 200),
            new Route("PATCH", "/api/collections/locked", "{'listRule':null}", 401, 200),
            new Route("DELETE", "/api/collections/nothere", null, 401, 404),
            new Route("DELETE", "/api/collections/nothere/truncate", null, 401, 404),
            new Route("PUT", "/api/collections/import", "{'collections':[]}", 401, 400),
            new Route("GET", "/api/collections/meta/scaffolds", null, 401, 200),
            new Route("GET", "/api/collections/meta/oauth2-providers", null, 401, 200),
            // BackupRoutes: superusers only
            new Route("GET", "/api/backups", null, 401, 200),
            new Route("POST", "/api/backups", "{'name':'t.zip'}", 401, 204),
            new Route("GET", "/api/backups/none.mdb", null, 401, 404),
            new Route("DELETE", "/api/backups/none.mdb", null, 401, 404),
            new Route("POST", "/api/backups/none.mdb/restore", null, 401, 404),
            // LogRoutes: superusers only
            new Route("GET", "/api/logs", null, 401, 200),
            new Route("GET", "/api/logs/stats", null, 401, 200),
            new Route("GET", "/api/logs/zzzzzzzzzzzzzzz", null, 401, 404),
            new Route("DELETE", "/api/logs", null, 401, 204));

    /** The logins: mounted before the token is read, so a client holding a dead token can log in again. */
    static final List<Route> LOGINS = List.of(
            new Route("POST", "/api/auth/login",
                    "{'email':'admin@local.host','password':'password123','collection':'_superusers'}", 200, 200),
            new Route("POST", "/api/collections/_superusers/auth-with-password",
                    "{'identity':'admin@local.host','password':'password123'}", 200, 200));
}
