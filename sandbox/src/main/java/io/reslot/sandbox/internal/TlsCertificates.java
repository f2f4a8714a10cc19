package io.reslot.sandbox.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway TLS identity for the sandbox's nodes, made with the JDK alone: {@code keytool -genkeypair} writes a
 * self-signed RSA certificate for {@code 127.0.0.1} and {@code localhost} into a PKCS#12 store, and the
 * {@link KeyStore} API turns it into the PEM files {@code redis-server} reads ({@code node.crt}, and the PKCS#8
 * {@code node.key}). Every node uses the one certificate, for its clients, its cluster bus and replication; clients
 * trust {@code node.crt} as their CA. The store's password is random, handed to {@code keytool} through its
 * environment, never its arguments, and is not kept.
 *
 * @param certificate the PEM certificate, also the CA file to trust
 * @param privateKey the PEM PKCS#8 private key, readable by its owner only
 */
public record TlsCertificates(Path certificate, Path privateKey) {

    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;
    private static final String STORE_PASSWORD_ENV = "RESLOT_SANDBOX_STORE_PASSWORD";

    /**
     * Generates the identity into {@code directory} (created if needed).
     *
     * @throws IOException if {@code keytool} is missing, fails or does not finish within a minute, or a file cannot be
     *     written; the message says which
     */
    public static TlsCertificates generate(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IOException("no keytool at " + keytool + " to generate the TLS certificate with");
        }
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String storePassword = HexFormat.of().formatHex(random);
        Path store = directory.resolve("node.p12");
        ProcessBuilder builder = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "node",
                "-keyalg", "RSA", "-keysize", "2048", "-validity", "7", "-dname", "CN=reslot-sandbox",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext", "bc:c", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass:env", STORE_PASSWORD_ENV))
                .redirectErrorStream(true).redirectOutput(directory.resolve("keytool.log").toFile());
        builder.environment().put(STORE_PASSWORD_ENV, storePassword);
        Process process = Executables.start(builder);
        try {
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool generated the TLS certificate", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("keytool exited with " + process.exitValue() + ": "
                    + Files.readString(directory.resolve("keytool.log"), StandardCharsets.UTF_8).strip());
        }
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, storePassword.toCharArray());
            Key key = keys.getKey("node", storePassword.toCharArray());
            Certificate certificate = keys.getCertificate("node");
            if (!(key instanceof PrivateKey)) {
                throw new IOException("keytool wrote no private key into " + store);
            }
            Path certificateFile = directory.resolve("node.crt");
            Path keyFile = directory.resolve("node.key");
            Files.writeString(certificateFile, pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
            Files.deleteIfExists(keyFile);
            Files.createFile(keyFile, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
            return new TlsCertificates(certificateFile, keyFile);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the store keytool wrote: " + e, e);
        } finally {
            Files.deleteIfExists(store);
        }
    }

    /** {@code -----BEGIN label-----}, the DER bytes in Base64 lines of 64 characters, {@code -----END label-----}. */
    static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }
}
