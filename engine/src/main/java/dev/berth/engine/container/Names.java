package dev.berth.engine.container;

import dev.berth.engine.errors.EngineException;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Container names: Docker's validation rule and generated {@code adjective_surname} names. */
final class Names {

    /** Docker's rule for container names (a leading slash is allowed and dropped). */
    static final Pattern VALID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");

    private static final List<String> ADJECTIVES = List.of(
            "agile", "amazing", "bold", "brave", "bright", "busy", "calm", "careful", "charming", "cheerful",
            "clever", "cool", "curious", "daring", "dazzling", "eager", "earnest", "elated", "epic", "fervent",
            "festive", "focused", "friendly", "funny", "gallant", "gentle", "gifted", "goofy", "gracious", "happy",
            "hardy", "helpful", "hopeful", "humble", "jolly", "keen", "kind", "lively", "loving", "lucid",
            "magical", "merry", "mighty", "modest", "nice", "nimble", "noble", "patient", "peaceful", "plucky",
            "polite", "proud", "quick", "quiet", "relaxed", "serene", "sharp", "shy", "silly", "sleepy",
            "smart", "steady", "stoic", "sweet", "tender", "thirsty", "trusting", "upbeat", "vibrant", "vigilant",
            "wise", "witty", "youthful", "zealous", "zen");

    private static final List<String> SURNAMES = List.of(
            "agnesi", "archimedes", "babbage", "bardeen", "bohr", "boole", "cannon", "carson", "chandrasekhar",
            "curie", "darwin", "dijkstra", "einstein", "euclid", "euler", "faraday", "fermat", "fermi", "feynman",
            "franklin", "galileo", "gauss", "goodall", "hamilton", "hawking", "heisenberg", "hodgkin", "hopper",
            "hypatia", "johnson", "kepler", "knuth", "lamarr", "lamport", "leakey", "liskov", "lovelace", "maxwell",
            "mayer", "mcclintock", "meitner", "mendel", "newton", "nobel", "noether", "pascal", "pasteur", "planck",
            "poincare", "ramanujan", "ritchie", "rosalind", "sagan", "shannon", "shockley", "somerville", "tesla",
            "thompson", "torvalds", "turing", "volta", "wilson", "wing", "wright", "yalow", "yonath");

    private Names() {}

    /**
     * The name without Docker's leading slash.
     *
     * @throws EngineException.InvalidArgument with Docker's message for an invalid name
     */
    static String validate(String name) {
        String n = name.startsWith("/") ? name.substring(1) : name;
        if (!VALID.matcher(n).matches()) {
            throw new EngineException.InvalidArgument("Invalid container name (" + name
                    + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        return n;
    }

    /** A random {@code adjective_surname} for which {@code taken} is false (a digit is added after many clashes). */
    static String generate(Predicate<String> taken) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int attempt = 0; ; attempt++) {
            String n = ADJECTIVES.get(r.nextInt(ADJECTIVES.size())) + "_" + SURNAMES.get(r.nextInt(SURNAMES.size()));
            if (attempt >= 10) {
                n = n + r.nextInt(10);
            }
            if (!taken.test(n)) {
                return n;
            }
        }
    }
}
