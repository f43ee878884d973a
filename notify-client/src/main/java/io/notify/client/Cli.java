package io.notify.client;

import java.util.Arrays;
import java.util.List;

/** {@code java -jar notify-client.jar smoke --url ... --username ... --password ...} */
public final class Cli {

    private Cli() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Answers the exit code: 0 passed, 1 a step failed, 2 wrong usage. */
    public static int run(String... args) {
        if (args.length == 0 || !args[0].equals("smoke")) {
            System.err.println(Smoke.USAGE);
            return 2;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        return Smoke.run(rest, System.getenv(), System.out, System.err);
    }
}
