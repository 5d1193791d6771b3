package dev.berth.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.state.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code netavark [--config DIR] --aardvark-binary A --file OPTIONS setup|teardown NETNS}.
 * The options document goes through a file and netavark's output into files, never pipes:
 * netavark may start aardvark-dns, a daemon that must not hold our pipes open.
 */
final class Netavark {

    /** What netavark reported for one network after setup. */
    record Status(String macAddress, String ipNet, String gateway, List<String> dnsServerIps, List<String> dnsSearchDomains) {}

    private final Path binary;
    private final Path aardvark;
    private final Path configDir;
    private final Path workDir;

    Netavark(Path binary, Path aardvark, Path configDir, Path workDir) {
        this.binary = binary;
        this.aardvark = aardvark;
        this.configDir = configDir;
        this.workDir = workDir;
    }

    Map<String, Status> setup(Path netns, Map<String, Object> options) {
        JsonNode out = run("setup", netns, options);
        Map<String, Status> result = new LinkedHashMap<>();
        out.fields().forEachRemaining(e -> {
            JsonNode block = e.getValue();
            String mac = null;
            String ipnet = null;
            String gw = null;
            JsonNode ifaces = block.path("interfaces");
            var it = ifaces.fields();
            if (it.hasNext()) {
                JsonNode iface = it.next().getValue();
                mac = iface.path("mac_address").asText(null);
                for (JsonNode sn : iface.path("subnets")) {
                    String net = sn.path("ipnet").asText("");
                    if (net.contains(".")) {
                        ipnet = net;
                        gw = sn.path("gateway").asText(null);
                        break;
                    }
                }
            }
            result.put(e.getKey(), new Status(mac, ipnet, gw, strings(block.path("dns_server_ips")),
                    strings(block.path("dns_search_domains"))));
        });
        return result;
    }

    void teardown(Path netns, Map<String, Object> options) {
        run("teardown", netns, options);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private JsonNode run(String verb, Path netns, Map<String, Object> options) {
        Path opts = null;
        Path stdout = null;
        Path stderr = null;
        try {
            Files.createDirectories(workDir);
            Files.createDirectories(configDir);
            opts = Files.createTempFile(workDir, verb + "-", ".json");
            stdout = Files.createTempFile(workDir, verb + "-", ".out");
            stderr = Files.createTempFile(workDir, verb + "-", ".err");
            Files.write(opts, Json.toBytes(options));
            ProcessBuilder pb = new ProcessBuilder(binary.toString(), "--config", configDir.toString(),
                    "--rootless", "false", "--aardvark-binary", aardvark.toString(), "--file", opts.toString(),
                    verb, netns.toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile());
            pb.environment().put("NETAVARK_FW", "iptables");
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new EngineException.Unavailable("netavark " + verb + " did not finish within 60 s");
            }
            String out = Files.readString(stdout, StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                String err = Files.readString(stderr, StandardCharsets.UTF_8).strip();
                throw new EngineException.Unavailable("netavark " + verb + " failed: " + describeError(out, err));
            }
            return out.isEmpty() ? Json.mapper().createObjectNode() : Json.mapper().readTree(out);
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot run netavark " + verb + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException.Unavailable("interrupted while running netavark " + verb, e);
        } finally {
            for (Path f : new Path[] {opts, stdout, stderr}) {
                if (f != null) {
                    try {
                        Files.deleteIfExists(f);
                    } catch (IOException ignored) {
                        // a temp file in the engine's own work dir; next run does not read it
                    }
                }
            }
        }
    }

    private static String describeError(String out, String err) {
        for (String text : new String[] {out, err}) {
            int brace = text.indexOf("{\"error\"");
            if (brace >= 0) {
                try {
                    return Json.mapper().readTree(text.substring(brace)).path("error").asText();
                } catch (IOException ignored) {
                    // fall through to the raw text
                }
            }
        }
        String raw = (out + "\n" + err).strip();
        return raw.lines().filter(l -> !l.contains("syslog")).reduce((a, b) -> a + "; " + b).orElse("(no output)");
    }
}
