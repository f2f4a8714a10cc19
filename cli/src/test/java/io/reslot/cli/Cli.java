package io.reslot.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs {@link Main} in-process on in-memory streams, with an empty environment unless one is given. */
final class Cli {

    private Cli() {
    }

    static Result run(String... args) {
        return run(new byte[0], args);
    }

    static Result runWithStdin(String stdin, String... args) {
        return run(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    static Result run(byte[] stdin, String... args) {
        return run(new ByteArrayInputStream(stdin), args);
    }

    static Result run(InputStream stdin, String... args) {
        return run(stdin, Map.of(), args);
    }

    static Result runWithEnv(Map<String, String> env, String... args) {
        return run(InputStream.nullInputStream(), env, args);
    }

    static Result run(InputStream stdin, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, stdin, out, err, env);
        return new Result(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    record Result(int exit, byte[] stdoutBytes, String stderr) {

        String stdout() {
            return new String(stdoutBytes, StandardCharsets.UTF_8);
        }
    }
}
