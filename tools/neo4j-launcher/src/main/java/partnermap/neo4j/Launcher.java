package partnermap.neo4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import org.neo4j.kernel.impl.security.User;
import org.neo4j.logging.NullLogProvider;
import org.neo4j.memory.EmptyMemoryTracker;
import org.neo4j.server.security.SecureHasher;
import org.neo4j.server.security.SystemGraphCredential;
import org.neo4j.server.security.auth.CommunitySecurityModule;
import org.neo4j.server.security.auth.FileUserRepository;
import org.neo4j.string.UTF8;

/**
 * Runs a real Neo4j 5.26 server (embedded DBMS plus its Bolt connector) for the
 * partnermap tests, CI and benchmark.
 *
 * <pre>
 * PARTNERMAP_NEO4J_PASSWORD=... java -jar neo4j-launcher.jar DATA_DIR [PORT]
 * </pre>
 *
 * Bolt listens on 127.0.0.1:PORT (default 7687) without TLS; authentication is
 * on, user "neo4j", password from PARTNERMAP_NEO4J_PASSWORD (at least 8
 * characters; there is no default). The database lives in DATA_DIR and survives
 * restarts. It prints "partnermap-neo4j ready" once Bolt answers and shuts the
 * DBMS down cleanly on SIGTERM or Ctrl-C. Not supported: TLS, the HTTP API,
 * more than one database.
 */
public final class Launcher {
    private static final String PASSWORD_VARIABLE = "PARTNERMAP_NEO4J_PASSWORD";
    private static final String USER = "neo4j";

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            fail("usage: java -jar neo4j-launcher.jar DATA_DIR [PORT]");
        }
        String password = System.getenv(PASSWORD_VARIABLE);
        if (password == null || password.length() < 8) {
            fail(PASSWORD_VARIABLE + " must be set to a password of at least 8 characters");
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = args.length == 2 ? Integer.parseInt(args[1]) : 7687;
        Files.createDirectories(home);

        // A fresh home gets its password before Bolt ever opens, so there is no
        // moment when the default neo4j/neo4j login is reachable.
        boolean fresh = !Files.exists(home.resolve("data/databases/system"));
        if (fresh) {
            writeInitialPassword(home, password);
        }

        long started = System.nanoTime();
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCacheBytes())
                // No usage reports leave the machine.
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // A test server should stop in a second, not wait 10 s for idle
                // Bolt threads (these are Neo4j's internal settings).
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofMillis(500))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofMillis(500))
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(2))
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("partnermap-neo4j stopping");
            dbms.shutdown();
            System.out.println("partnermap-neo4j stopped");
            stopped.countDown();
        }, "partnermap-neo4j-shutdown"));

        if (!fresh) {
            syncPassword(dbms, password);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
                "partnermap-neo4j ready on bolt://127.0.0.1:%d (Neo4j %s, data %s, started in %.1f s)%n",
                port, neo4jVersion(dbms), home, seconds);
        System.out.flush();
        stopped.await();
    }

    /** What `neo4j-admin dbms set-initial-password` does: data/dbms/auth.ini. */
    private static void writeInitialPassword(Path home, String password) throws Exception {
        Config config = Config.newBuilder().set(GraphDatabaseSettings.neo4j_home, home).build();
        Path file = CommunitySecurityModule.getInitialUserRepositoryFile(config);
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        FileUserRepository users = new FileUserRepository(
                new DefaultFileSystemAbstraction(), file,
                NullLogProvider.getInstance(), EmptyMemoryTracker.INSTANCE);
        users.start();
        SystemGraphCredential credential = SystemGraphCredential.createCredentialForPassword(
                UTF8.encode(password), new SecureHasher());
        users.create(new User(USER, null, credential, false, false));
        users.shutdown();
    }

    /** On a reused home the variable stays the truth: set it if it changed. */
    private static void syncPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER " + USER + " SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (QueryExecutionException e) {
            // Neo4j refuses to "change" a password to the one it already has.
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                throw e;
            }
        }
    }

    private static String neo4jVersion(DatabaseManagementService dbms) {
        return dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                "CALL dbms.components() YIELD versions RETURN versions[0] AS v",
                Map.of(),
                result -> String.valueOf(result.next().get("v")));
    }

    /** NEO4J_PAGECACHE_MB (default 512) megabytes of page cache. */
    private static long pageCacheBytes() {
        String value = System.getenv("NEO4J_PAGECACHE_MB");
        long megabytes = value == null || value.isBlank() ? 512 : Long.parseLong(value.trim());
        return megabytes * 1024 * 1024;
    }

    private static void fail(String message) {
        System.err.println("partnermap-neo4j: " + message);
        System.exit(2);
    }
}
