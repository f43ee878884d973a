package io.notify.infra.postgres;

import io.notify.infra.Ports;
import io.notify.infra.process.ManagedProcess;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (the installed Debian binaries) running as a child process ({@link ManagedProcess}).
 *
 * <p>PostgreSQL refuses to run as root, so when this JVM is root, {@code initdb} and {@code postgres}
 * run as the {@code postgres} OS user via {@code setpriv} (which execs, so {@link #pid()} is the
 * postmaster's PID) and the data directory is handed over to that user. The server only listens on
 * 127.0.0.1 and its superuser password is a fixed test password: local and test use only.
 *
 * <p>Servers still running when this JVM shuts down normally are stopped by {@link ManagedProcess}'s
 * shutdown hook (SIGINT, a fast shutdown, as {@link #close}); after a crash (of this JVM or of postgres),
 * {@link #start} on the same directory cleans up and recovers.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String DEFAULT_USER = "notify";
    public static final String DEFAULT_PASSWORD = "notify";
    public static final String PG_BIN_ENV = "NOTIFY_PG_BIN";

    private static final String OS_USER = "postgres";
    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration INITDB_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** SIGINT is PostgreSQL's fast shutdown (abort sessions, checkpoint); SIGTERM would wait for every client. */
    private static final String FAST_SHUTDOWN = "INT";

    private final Path dataDir;
    private final int port;
    private final String username;
    private final String password;
    private final ManagedProcess process;

    private PostgresServer(Path dataDir, int port, String username, String password, ManagedProcess process) {
        this.dataDir = dataDir;
        this.port = port;
        this.username = username;
        this.password = password;
        this.process = process;
    }

    /** Starts a server with superuser {@value #DEFAULT_USER}/{@value #DEFAULT_PASSWORD}; port 0 = free port. */
    public static PostgresServer start(Path dataDir, int port) {
        return start(dataDir, port, DEFAULT_USER, DEFAULT_PASSWORD);
    }

    /**
     * Initialises {@code dataDir} if it holds no cluster yet (the superuser and password only apply
     * then), stops a postmaster left running on it by a crashed run, starts postgres on
     * {@code 127.0.0.1:port} and waits until it accepts JDBC connections.
     */
    public static PostgresServer start(Path dataDir, int port, String username, String password) {
        Path dir = dataDir.toAbsolutePath().normalize();
        Path bin = binDir();
        Path log = dir.resolveSibling(dir.getFileName() + ".log");
        int actualPort = Ports.orFree(port);
        try {
            prepareDataDir(dir);
            if (!Files.exists(dir.resolve("PG_VERSION"))) {
                initdb(bin, dir, log, username, password);
            }
            stopStalePostmaster(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare PostgreSQL data directory " + dir, e);
        }

        long logOffset = fileSize(log);
        List<String> command = new ArrayList<>(asPostgresUser(bin.resolve("postgres")));
        command.addAll(List.of(
                "-D", dir.toString(),
                "-p", String.valueOf(actualPort),
                "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=" + socketDir(dir, actualPort),
                "-c", "fsync=on",
                "-c", "max_connections=200",
                "-c", "shared_buffers=128MB"));
        // diagnostics only (e.g. -Dnotify.postgres.settings=shared_preload_libraries=pg_stat_statements in a bench)
        for (String setting : System.getProperty("notify.postgres.settings", "").split(";")) {
            if (!setting.isBlank()) {
                command.addAll(List.of("-c", setting.trim()));
            }
        }
        ManagedProcess process = run("postgres", command, dir.getParent(), log).stopWith(FAST_SHUTDOWN, STOP_TIMEOUT);
        PostgresServer server = new PostgresServer(dir, actualPort, username, password, process);
        try {
            server.awaitAcceptingConnections(logOffset);
        } catch (RuntimeException e) {
            server.kill();
            throw e;
        }
        return server;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    /**
     * The postmaster (its PID, liveness, descendants = the backends) and its log file, where initdb's
     * and postgres' output goes: {@code <dataDir>.log} next to the data directory.
     */
    public ManagedProcess process() {
        return process;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** A new connection as the superuser; the caller closes it. */
    public Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", username);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "5");
        // Direct driver use: DriverManager may not see the driver from a Quarkus test class loader.
        Connection connection = new org.postgresql.Driver().connect(jdbcUrl(database), props);
        if (connection == null) {
            throw new SQLException("PostgreSQL driver rejected " + jdbcUrl(database));
        }
        return connection;
    }

    /** Creates the database unless it exists. */
    public void createDatabase(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Unsupported database name: " + name);
        }
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            // 42P04 duplicate_database; 23505 when a concurrent CREATE DATABASE won the race.
            if (!"42P04".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                throw new IllegalStateException("Could not create database " + name, e);
            }
        }
    }

    /** Fast shutdown (SIGINT: abort sessions, checkpoint), SIGKILL after 30 s. Waits until postgres is gone. */
    @Override
    public void close() {
        process.stop(STOP_TIMEOUT);
    }

    /** SIGKILL the postmaster and its backends, like a crash; the next {@link #start} recovers. */
    public void kill() {
        process.kill();
    }

    @Override
    public String toString() {
        return "PostgresServer[127.0.0.1:" + port + ", pid " + process.pid() + ", " + dataDir + "]";
    }

    // ---- binaries and OS user ----

    /** {@code $NOTIFY_PG_BIN}, else the newest {@code /usr/lib/postgresql/<version>/bin} with postgres and initdb. */
    public static Path binDir() {
        String fromEnv = System.getenv(PG_BIN_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            Path bin = Path.of(fromEnv);
            if (!hasBinaries(bin)) {
                throw new IllegalStateException(PG_BIN_ENV + "=" + fromEnv + " does not contain executable postgres and initdb");
            }
            return bin;
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                Optional<Path> newest = versions
                        .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                        .map(v -> v.resolve("bin"))
                        .filter(PostgresServer::hasBinaries)
                        .max(Comparator.comparingDouble(b -> Double.parseDouble(b.getParent().getFileName().toString())));
                if (newest.isPresent()) {
                    return newest.get();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("No PostgreSQL server binaries found under /usr/lib/postgresql/*/bin. "
                + "Install them with `apt-get install postgresql-15` or point " + PG_BIN_ENV + " at a bin directory.");
    }

    private static boolean hasBinaries(Path bin) {
        return Files.isExecutable(bin.resolve("postgres")) && Files.isExecutable(bin.resolve("initdb"));
    }

    static boolean runningAsRoot() {
        try {
            // /proc/self is owned by the effective uid of this process.
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static List<String> asPostgresUser(Path executable) {
        if (!runningAsRoot()) {
            return List.of(executable.toString());
        }
        return List.of("setpriv", "--reuid=" + OS_USER, "--regid=" + OS_USER, "--init-groups", "--", executable.toString());
    }

    // ---- data directory ----

    private static void prepareDataDir(Path dir) throws IOException {
        if (!runningAsRoot()) {
            Files.createDirectories(dir);
            return;
        }
        UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user;
        GroupPrincipal group;
        try {
            user = lookup.lookupPrincipalByName(OS_USER);
            group = lookup.lookupPrincipalByGroupName(OS_USER);
        } catch (IOException e) {
            throw new IllegalStateException("Running as root, but there is no `" + OS_USER + "` OS user to run PostgreSQL as "
                    + "(it comes with `apt-get install postgresql-15`)", e);
        }
        Path firstMissing = dir;
        while (firstMissing.getParent() != null && !Files.exists(firstMissing.getParent())) {
            firstMissing = firstMissing.getParent();
        }
        Files.createDirectories(dir);
        // Hand the data directory (and any parents created for it) to the postgres user.
        if (!user.equals(Files.getOwner(dir))) {
            chownRecursively(dir, user, group);
        }
        for (Path p = dir.getParent(); p != null && p.startsWith(firstMissing); p = p.getParent()) {
            setOwner(p, user, group);
        }
        // postgres must be able to traverse down to the data directory.
        for (Path p = dir.getParent(); p != null; p = p.getParent()) {
            if (user.equals(Files.getOwner(p))) {
                continue;
            }
            Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(p));
            if (perms.add(PosixFilePermission.OTHERS_EXECUTE)) {
                Files.setPosixFilePermissions(p, perms);
            }
        }
    }

    private static void chownRecursively(Path dir, UserPrincipal user, GroupPrincipal group) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                setOwner(p, user, group);
            }
        }
    }

    private static void setOwner(Path p, UserPrincipal user, GroupPrincipal group) throws IOException {
        Files.setOwner(p, user);
        Files.setAttribute(p, "posix:group", group);
    }

    private static void initdb(Path bin, Path dir, Path log, String username, String password) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new IllegalStateException(dir + " has no PG_VERSION but is not empty; refusing to initdb over it");
            }
        }
        Path pwFile = Files.createTempFile(dir.getParent(), ".pgpass-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(pwFile, password + "\n");
            if (runningAsRoot()) {
                UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
                setOwner(pwFile, lookup.lookupPrincipalByName(OS_USER), lookup.lookupPrincipalByGroupName(OS_USER));
            }
            List<String> command = new ArrayList<>(asPostgresUser(bin.resolve("initdb")));
            command.addAll(List.of(
                    "-D", dir.toString(),
                    "-U", username,
                    "--auth-host=scram-sha-256",
                    "--auth-local=trust",
                    "--pwfile=" + pwFile,
                    "-E", "UTF8",
                    "--locale=C.UTF-8"));
            long offset = fileSize(log);
            ManagedProcess initdb = run("initdb", command, dir.getParent(), log);
            boolean exited;
            try {
                exited = initdb.process().waitFor(INITDB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                initdb.kill();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted during initdb", e);
            }
            if (!exited) {
                initdb.kill();
                throw new IllegalStateException("initdb did not finish within " + INITDB_TIMEOUT.toSeconds() + " s; log "
                        + log + ":\n" + tail(log, offset));
            }
            int exitCode = initdb.process().exitValue();
            if (exitCode != 0) {
                throw new IllegalStateException("initdb failed with exit code " + exitCode + "; log " + log + ":\n" + tail(log, offset));
            }
        } finally {
            Files.deleteIfExists(pwFile);
        }
    }

    /** Unix socket in the data directory if the path fits the ~107-byte socket path limit, else none (TCP only). */
    private static String socketDir(Path dir, int port) {
        return (dir + "/.s.PGSQL." + port).length() < 100 ? dir.toString() : "";
    }

    // ---- processes ----

    /** Starts {@code command} with its output appended to {@code log}, in the C.UTF-8 locale and without PG* variables. */
    private static ManagedProcess run(String name, List<String> command, Path workDir, Path log) {
        Map<String, String> env = new HashMap<>();
        System.getenv().keySet().stream().filter(k -> k.startsWith("PG")).forEach(k -> env.put(k, null));
        env.put("LC_ALL", "C.UTF-8");
        // readiness is a JDBC connection (awaitAcceptingConnections), not an output line
        return ManagedProcess.start(name, command, env, workDir, log, null, START_TIMEOUT);
    }

    private void awaitAcceptingConnections(long logOffset) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("postgres exited with code " + process.process().exitValue()
                        + " during startup; log " + process.logFile() + ":\n" + tail(process.logFile(), logOffset));
            }
            try (Connection c = connect("postgres")) {
                return;
            } catch (SQLException e) {
                if (e.getSQLState() != null && e.getSQLState().startsWith("28")) {
                    throw new IllegalStateException("postgres on port " + port + " rejected " + username
                            + "'s credentials; the superuser and password are fixed when " + dataDir + " is first initialised", e);
                }
                last = e;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        throw new IllegalStateException("postgres on port " + port + " not accepting connections after " + START_TIMEOUT
                + " (last error: " + last + "); log " + process.logFile() + ":\n" + tail(process.logFile(), logOffset));
    }

    /**
     * If {@code dataDir/postmaster.pid} names a live postgres process (left behind by a crashed
     * launcher or test JVM), stops it (SIGINT, SIGKILL after 20 s); if it names anything else,
     * removes the stale file. Does nothing when there is no such file.
     */
    public static void stopStalePostmaster(Path dataDir) throws IOException {
        Path dir = dataDir.toAbsolutePath().normalize();
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        try (Stream<String> lines = Files.lines(pidFile)) {
            pid = Long.parseLong(lines.findFirst().orElse("").trim());
        } catch (NumberFormatException | UncheckedIOException e) {
            Files.deleteIfExists(pidFile);
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (handle.isPresent() && isPostgres(handle.get()) && servesDirectory(handle.get(), dir)) {
            System.err.println("Stopping postgres (pid " + pid + ") left running on " + dir);
            ManagedProcess.stopTree(handle.get(), FAST_SHUTDOWN, Duration.ofSeconds(20));
        } else {
            Files.deleteIfExists(pidFile);
        }
    }

    private static boolean isPostgres(ProcessHandle handle) {
        Optional<String> command = handle.info().command();
        if (command.isPresent()) {
            return Path.of(command.get()).getFileName().toString().startsWith("postgres");
        }
        try {
            return Files.readString(Path.of("/proc", String.valueOf(handle.pid()), "comm")).trim().startsWith("postgres");
        } catch (IOException e) {
            return false;
        }
    }

    /** A postmaster runs in its data directory; guards against a recycled PID of another cluster's postgres. */
    private static boolean servesDirectory(ProcessHandle handle, Path dir) {
        try {
            return Path.of("/proc", String.valueOf(handle.pid()), "cwd").toRealPath().equals(dir.toRealPath());
        } catch (IOException | SecurityException e) {
            return true; // cannot tell (not our process): trust the lock file
        }
    }

    // ---- log helpers ----

    private static long fileSize(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The log written since {@code offset}, at most the last 8 KiB. */
    private static String tail(Path log, long offset) {
        try (RandomAccessFile in = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(offset, in.length() - 8192);
            byte[] bytes = new byte[(int) Math.max(0, in.length() - start)];
            in.seek(start);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }
}
