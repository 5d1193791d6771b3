package dev.berth.engine.build.dockerfile;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Dockerfile with Docker's rules.
 *
 * <ul>
 *   <li>Parser directives ({@code # escape=`}, {@code # syntax=...}, {@code # check=...}) only at the very top:
 *       the first line that is not a known directive (a comment, an empty line, an instruction, an unknown
 *       directive) ends them; a known directive given twice is an error.</li>
 *   <li>A line whose first non-blank character is {@code #} is a comment, also inside a continuation; a
 *       {@code #} elsewhere is text.</li>
 *   <li>The escape character at the end of a line (trailing blanks allowed) continues the instruction on
 *       the next line; the pieces are joined as they are, and empty lines inside a continuation are skipped.</li>
 *   <li>RUN, COPY and ADD in shell form may carry heredocs ({@code <<EOF}, {@code <<-EOF}, {@code <<"EOF"},
 *       several on one line, read in order); their bodies follow the instruction's last line.</li>
 *   <li>Flags ({@code --name=value}) come right after the keyword; each instruction accepts its own.</li>
 * </ul>
 * The first problem stops the parse with a {@link DockerfileError} naming its line and column.
 */
public final class DockerfileParser {

    /** Every instruction keyword, in the order Docker's reference lists them. */
    public static final List<String> INSTRUCTIONS = List.of("FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV",
            "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL");

    private static final Pattern DIRECTIVE = Pattern.compile("#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*");
    private static final List<String> DIRECTIVES = List.of("escape", "syntax", "check");
    private static final Pattern HEREDOC = Pattern.compile("(\\d*)<<(-?)([^<]*)");
    private static final Pattern STAGE_NAME = Pattern.compile("[a-z][a-z0-9-_.]*");
    static final Pattern OCTAL_MODE = Pattern.compile("[0-7]{1,4}");
    static final Pattern CHECKSUM = Pattern.compile("(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})");

    private enum Kind { STRING, BOOL, LIST, DURATION, INT }

    private static final Map<String, Map<String, Kind>> FLAGS = Map.ofEntries(
            Map.entry("FROM", Map.of("platform", Kind.STRING)),
            Map.entry("RUN", Map.of("mount", Kind.LIST, "network", Kind.STRING, "security", Kind.STRING)),
            Map.entry("COPY", Map.of("from", Kind.STRING, "chown", Kind.STRING, "chmod", Kind.STRING, "link", Kind.BOOL,
                    "parents", Kind.BOOL, "exclude", Kind.LIST)),
            Map.entry("ADD", Map.of("chown", Kind.STRING, "chmod", Kind.STRING, "link", Kind.BOOL, "checksum", Kind.STRING,
                    "keep-git-dir", Kind.BOOL, "exclude", Kind.LIST)),
            Map.entry("HEALTHCHECK", Map.of("interval", Kind.DURATION, "timeout", Kind.DURATION, "start-period", Kind.DURATION,
                    "start-interval", Kind.DURATION, "retries", Kind.INT)));

    private final String file;
    private final List<String> lines;
    private char escape = '\\';
    private String syntax;
    private boolean escapeSeen;
    private boolean checkSeen;
    /** A single line outside a Dockerfile: no heredoc bodies, no stages to check COPY --from against. */
    private boolean standalone;

    private final List<Instruction.Arg> globalArgs = new ArrayList<>();
    private final List<Stage> stages = new ArrayList<>();
    private Instruction.From stageFrom;
    private String stageName;
    private List<Instruction> stageInstructions;
    private final Map<String, Integer> stageNames = new HashMap<>();
    private final Map<String, Integer> stageNameLines = new HashMap<>();
    private final List<PendingFrom> copyFroms = new ArrayList<>();

    /** A literal {@code COPY --from} value, checked once every stage name is known. */
    private record PendingFrom(String value, Position position, int stage) {}

    private DockerfileParser(String file, String text) {
        this.file = file;
        List<String> ls = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!ls.isEmpty() && ls.getLast().isEmpty()) {
            ls.removeLast();
        }
        for (int i = 0; i < ls.size(); i++) {
            String l = ls.get(i);
            if (l.endsWith("\r")) {
                ls.set(i, l.substring(0, l.length() - 1));
            }
        }
        if (!ls.isEmpty() && ls.getFirst().startsWith("\uFEFF")) {
            ls.set(0, ls.getFirst().substring(1));
        }
        this.lines = ls;
    }

    /** Parses {@code text}; {@code file} names it in errors (e.g. {@code Dockerfile}). */
    public static Dockerfile parse(String text, String file) {
        return new DockerfileParser(file, text).run();
    }

    /**
     * Parses one instruction on one line, outside any Dockerfile (as {@code docker commit --change} gives
     * them): no directives, continuations, heredoc bodies or stage rules; errors read
     * {@code source:1:column: problem}.
     */
    public static Instruction parseInstruction(String line, String source) {
        DockerfileParser p = new DockerfileParser(source, "");
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            throw p.error(new Position(source, 1, 1), "an empty instruction");
        }
        Line l = p.new Line();
        l.append(trimmed, 1, line.indexOf(trimmed.charAt(0)) + 1);
        p.standalone = true;
        return p.instruction(l, 0, false);
    }

    /** Parses UTF-8 bytes; bytes that are not UTF-8 are an error. */
    public static Dockerfile parse(byte[] utf8, String file) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new DockerfileError(new Position(file, 1, 1), "the file is not UTF-8 text").toException();
        }
        return parse(text, file);
    }

    // ---------------------------------------------------------------------------------------------
    // lines

    /** One instruction on one logical line, with a map back to the physical lines and its heredocs. */
    private final class Line {
        final StringBuilder text = new StringBuilder();
        final List<int[]> segments = new ArrayList<>(); // {offset in text, line, column}
        final List<Heredoc> heredocs = new ArrayList<>();
        final List<Integer> heredocOffsets = new ArrayList<>();

        void append(String s, int line, int column) {
            segments.add(new int[] {text.length(), line, column});
            text.append(s);
        }

        Position at(int offset) {
            int[] seg = segments.getFirst();
            for (int[] s : segments) {
                if (s[0] <= offset) {
                    seg = s;
                }
            }
            return new Position(file, seg[1], seg[2] + (offset - seg[0]));
        }

        String s() {
            return text.toString();
        }
    }

    private RuntimeException error(Position at, String problem) {
        return new DockerfileError(at, problem).toException();
    }

    private Dockerfile run() {
        int i = directives();
        int count = 0;
        Position firstArg = null;
        while (i < lines.size()) {
            String raw = lines.get(i);
            String trimmed = raw.stripLeading();
            if (trimmed.isEmpty() || trimmed.charAt(0) == '#') {
                i++;
                continue;
            }
            Line line = new Line();
            String[] piece = continuation(trimmed);
            line.append(piece[0], i + 1, raw.length() - trimmed.length() + 1);
            i++;
            boolean continues = piece[1] != null;
            while (continues && i < lines.size()) {
                String next = lines.get(i);
                int lineNo = ++i;
                String lead = next.stripLeading();
                if (lead.isEmpty() || lead.charAt(0) == '#') {
                    continue; // empty continuation lines and comments inside a continuation are skipped
                }
                piece = continuation(next);
                line.append(piece[0], lineNo, 1);
                continues = piece[1] != null;
            }
            if (line.s().isBlank()) {
                continue;
            }
            i = heredocs(line, i);
            Instruction ins = instruction(line, 0, false);
            count++;
            if (firstArg == null && ins instanceof Instruction.Arg) {
                firstArg = ins.position();
            }
            place(ins);
        }
        if (count == 0) {
            throw error(new Position(file, Math.max(1, lines.size()), 1), "the Dockerfile has no instructions: it needs at least a FROM");
        }
        if (stageFrom == null) {
            throw error(firstArg, "no FROM instruction: a Dockerfile needs a FROM after its global ARGs");
        }
        closeStage();
        for (PendingFrom p : copyFroms) {
            checkCopyFrom(p);
        }
        return new Dockerfile(file, escape, syntax, globalArgs, stages);
    }

    /** Reads the parser directives at the top; returns the index of the first line after them. */
    private int directives() {
        int i = 0;
        for (; i < lines.size(); i++) {
            Matcher m = DIRECTIVE.matcher(lines.get(i));
            if (!m.matches()) {
                break;
            }
            String name = m.group(1).toLowerCase(Locale.ROOT);
            if (!DIRECTIVES.contains(name)) {
                break; // an unknown directive is a comment, and ends the directives
            }
            String value = m.group(2);
            Position at = new Position(file, i + 1, m.start(2) + 1);
            switch (name) {
                case "escape" -> {
                    if (escapeSeen) {
                        throw error(new Position(file, i + 1, 1), "only one escape parser directive can be used");
                    }
                    escapeSeen = true;
                    if (!value.equals("\\") && !value.equals("`")) {
                        throw error(at, "invalid escape character \"" + value + "\": the escape directive takes ` or \\");
                    }
                    escape = value.charAt(0);
                }
                case "syntax" -> {
                    if (syntax != null) {
                        throw error(new Position(file, i + 1, 1), "only one syntax parser directive can be used");
                    }
                    syntax = value;
                }
                default -> {
                    if (checkSeen) {
                        throw error(new Position(file, i + 1, 1), "only one check parser directive can be used");
                    }
                    checkSeen = true;
                }
            }
        }
        return i;
    }

    /** {content, non-null when the line continues}: strips a trailing escape character and the blanks after it. */
    private String[] continuation(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        if (end > 0 && line.charAt(end - 1) == escape) {
            return new String[] {line.substring(0, end - 1), "continues"};
        }
        return new String[] {line, null};
    }

    /** Reads the bodies of the heredocs the line opens (RUN, COPY, ADD in shell form); returns the next line index. */
    private int heredocs(Line line, int next) {
        String s = line.s();
        Word kw = word(s, 0);
        String keyword = kw.text.toUpperCase(Locale.ROOT);
        if (!keyword.equals("RUN") && !keyword.equals("COPY") && !keyword.equals("ADD")) {
            return next;
        }
        int rest = flags(line, kw.end).rest;
        if (JsonArray.looksLikeJson(s, rest)) {
            return next;
        }
        for (Word w : rawWords(s, rest)) {
            Heredoc marker = marker(w.text);
            if (marker == null) {
                continue;
            }
            StringBuilder content = new StringBuilder();
            boolean terminated = false;
            while (next < lines.size()) {
                String body = lines.get(next++);
                String candidate = marker.chomp() ? stripTabs(body) : body;
                if (candidate.equals(marker.name())) {
                    terminated = true;
                    break;
                }
                content.append(marker.chomp() ? stripTabs(body) : body).append('\n');
            }
            if (!terminated) {
                throw error(line.at(w.offset), "unterminated heredoc: no line \"" + marker.name()
                        + "\" ends the document opened here");
            }
            line.heredocs.add(new Heredoc(marker.name(), content.toString(), marker.expand(), marker.chomp(), marker.fd()));
            line.heredocOffsets.add(w.offset);
        }
        return next;
    }

    private static String stripTabs(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == '\t') {
            i++;
        }
        return s.substring(i);
    }

    /** A heredoc marker word ({@code <<EOF}, {@code 3<<-"EOF"}), as a heredoc with no content; null otherwise. */
    private Heredoc marker(String word) {
        Matcher m = HEREDOC.matcher(word);
        if (!m.matches()) {
            return null;
        }
        String raw = m.group(3);
        StringBuilder name = new StringBuilder();
        boolean quoted = false;
        char quote = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    name.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                quoted = true;
            } else if (c == escape && i + 1 < raw.length()) {
                name.append(raw.charAt(++i));
                quoted = true;
            } else {
                name.append(c);
            }
        }
        if (quote != 0 || name.isEmpty()) {
            return null;
        }
        int fd = m.group(1).isEmpty() ? 0 : Integer.parseInt(m.group(1));
        return new Heredoc(name.toString(), "", !quoted, !m.group(2).isEmpty(), fd);
    }

    // ---------------------------------------------------------------------------------------------
    // words and flags

    /** A word of a line and where it starts and ends. */
    private record Word(String text, int offset, int end) {}

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The run of non-blank characters at {@code from} (after blanks). */
    private static Word word(String s, int from) {
        int start = skipSpace(s, from);
        int end = start;
        while (end < s.length() && !Character.isWhitespace(s.charAt(end))) {
            end++;
        }
        return new Word(s.substring(start, end), start, end);
    }

    /** Words split on blanks only (Docker's whitespace-delimited arguments: quotes mean nothing here). */
    private static List<Word> fields(String s, int from) {
        List<Word> out = new ArrayList<>();
        int i = skipSpace(s, from);
        while (i < s.length()) {
            Word w = word(s, i);
            out.add(w);
            i = skipSpace(s, w.end);
        }
        return out;
    }

    /** Words split on blanks outside quotes; quotes and escapes stay in the words, for later expansion. */
    private List<Word> rawWords(String s, int from) {
        List<Word> out = new ArrayList<>();
        int i = skipSpace(s, from);
        while (i < s.length()) {
            int end = rawWordEnd(s, i);
            out.add(new Word(s.substring(i, end), i, end));
            i = skipSpace(s, end);
        }
        return out;
    }

    private int rawWordEnd(String s, int i) {
        char quote = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == escape && quote == '"' && i + 1 < s.length()) {
                    i++;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == escape && i + 1 < s.length()) {
                i++;
            } else if (Character.isWhitespace(c)) {
                break;
            }
            i++;
        }
        return i;
    }

    /** Removes the quotes and escapes of a flag value (variables are left for expansion). */
    private String unquote(String v) {
        StringBuilder b = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    b.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == escape && i + 1 < v.length()) {
                b.append(v.charAt(++i));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private record Flag(String name, String value, int offset, int valueOffset) {}

    private record Flags(List<Flag> flags, int rest) {}

    /** The flags right after the keyword (which ends at {@code from}). */
    private Flags flags(Line line, int from) {
        String s = line.s();
        List<Flag> out = new ArrayList<>();
        int i = skipSpace(s, from);
        while (i < s.length() && s.startsWith("--", i)) {
            int end = rawWordEnd(s, i);
            String w = s.substring(i, end);
            if (w.equals("--")) {
                i = skipSpace(s, end);
                break;
            }
            int eq = w.indexOf('=');
            String name = eq < 0 ? w.substring(2) : w.substring(2, eq);
            String value = eq < 0 ? null : unquote(w.substring(eq + 1));
            out.add(new Flag(name, value, i, eq < 0 ? i : i + eq + 1));
            i = skipSpace(s, end);
        }
        return new Flags(out, i);
    }

    /** The flags of one instruction, checked against what it accepts. */
    private final class FlagValues {
        final Map<String, Flag> given = new LinkedHashMap<>();
        final Map<String, List<String>> lists = new HashMap<>();

        FlagValues(String keyword, List<Flag> flags, Line line) {
            Map<String, Kind> accepted = FLAGS.getOrDefault(keyword, Map.of());
            for (Flag f : flags) {
                Kind kind = accepted.get(f.name);
                if (kind == null) {
                    String known = accepted.keySet().stream().sorted().map(k -> "--" + k).reduce((a, b) -> a + ", " + b).orElse("");
                    throw error(line.at(f.offset), accepted.isEmpty()
                            ? keyword + " takes no flags, but --" + f.name + " was given"
                            : (keyword.equals("HEALTHCHECK") ? "unknown HEALTHCHECK option --" : "unknown flag --")
                              + f.name + " for " + keyword + " (it accepts " + known + ")");
                }
                if (kind == Kind.BOOL) {
                    if (f.value != null && !f.value.equals("true") && !f.value.equals("false")) {
                        throw error(line.at(f.valueOffset), "flag --" + f.name + " takes true or false, not \"" + f.value + "\"");
                    }
                } else if (f.value == null) {
                    throw error(line.at(f.offset), "flag --" + f.name + " needs a value: --" + f.name + "=...");
                }
                if (kind == Kind.LIST) {
                    lists.computeIfAbsent(f.name, k -> new ArrayList<>()).add(f.value);
                } else if (given.containsKey(f.name)) {
                    throw error(line.at(f.offset), "flag --" + f.name + " is given twice");
                }
                given.put(f.name, f);
            }
        }

        String string(String name) {
            Flag f = given.get(name);
            return f == null ? null : f.value;
        }

        boolean bool(String name) {
            Flag f = given.get(name);
            return f != null && (f.value == null || f.value.equals("true"));
        }

        List<String> list(String name) {
            return lists.getOrDefault(name, List.of());
        }

        Flag flag(String name) {
            return given.get(name);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // instructions

    /** Parses the instruction whose keyword starts at {@code start} of {@code line}. */
    private Instruction instruction(Line line, int start, boolean trigger) {
        String s = line.s();
        Word kw = word(s, start);
        Position pos = line.at(kw.offset);
        String keyword = kw.text.toUpperCase(Locale.ROOT);
        String text = s.substring(kw.offset).strip();
        if (!INSTRUCTIONS.contains(keyword)) {
            String near = nearest(keyword);
            throw error(pos, "unknown instruction: " + kw.text + (near == null ? "" : " (did you mean " + near + "?)"));
        }
        Flags flags = flags(line, kw.end);
        FlagValues fv = new FlagValues(keyword, flags.flags, line);
        int rest = flags.rest;
        String args = s.substring(rest).strip();
        if (args.isEmpty() && !keyword.equals("HEALTHCHECK")) {
            throw error(pos, keyword + " requires at least one argument");
        }
        return switch (keyword) {
            case "FROM" -> from(line, pos, text, fv, rest);
            case "RUN" -> new Instruction.Run(pos, text, command(line, rest, keyword), trigger || standalone ? List.of() : line.heredocs,
                    fv.list("mount"), checkedChoice(line, fv, "network", List.of("default", "none", "host")),
                    checkedChoice(line, fv, "security", List.of("sandbox", "insecure")));
            case "CMD" -> new Instruction.Cmd(pos, text, command(line, rest, keyword));
            case "ENTRYPOINT" -> new Instruction.Entrypoint(pos, text, command(line, rest, keyword));
            case "ENV" -> new Instruction.Env(pos, text, pairs(line, rest, keyword));
            case "LABEL" -> new Instruction.Label(pos, text, pairs(line, rest, keyword));
            case "ARG" -> arg(line, pos, text, rest);
            case "MAINTAINER" -> new Instruction.Maintainer(pos, text, args);
            case "EXPOSE" -> expose(line, pos, text, rest);
            case "ADD", "COPY" -> addOrCopy(line, pos, text, keyword, fv, rest, trigger);
            case "WORKDIR" -> new Instruction.Workdir(pos, text, args);
            case "USER" -> new Instruction.User(pos, text, args);
            case "STOPSIGNAL" -> new Instruction.StopSignal(pos, text, args);
            case "VOLUME" -> volume(line, pos, text, rest);
            case "HEALTHCHECK" -> healthcheck(line, pos, text, fv, rest);
            case "SHELL" -> shell(line, pos, text, rest);
            case "ONBUILD" -> onbuild(line, pos, text, rest, trigger);
            default -> throw new IllegalStateException(keyword);
        };
    }

    private String checkedChoice(Line line, FlagValues fv, String name, List<String> allowed) {
        String v = fv.string(name);
        if (v != null && !v.contains("$") && !allowed.contains(v)) {
            throw error(line.at(fv.flag(name).valueOffset), "flag --" + name + " takes " + String.join(", ", allowed)
                    + ", not \"" + v + "\"");
        }
        return v;
    }

    private Instruction.From from(Line line, Position pos, String text, FlagValues fv, int rest) {
        List<Word> w = fields(line.s(), rest);
        String name = null;
        if (w.size() == 3) {
            if (!w.get(1).text.equalsIgnoreCase("AS")) {
                throw error(line.at(w.get(1).offset), "FROM takes \"image AS name\": expected AS, found \"" + w.get(1).text + "\"");
            }
            name = w.get(2).text.toLowerCase(Locale.ROOT);
            Position at = line.at(w.get(2).offset);
            if (!STAGE_NAME.matcher(name).matches()) {
                throw error(at, "invalid stage name \"" + w.get(2).text
                        + "\": it must start with a letter and hold only letters, digits, -, _ and .");
            }
            if (stageNames.containsKey(name)) {
                throw error(at, "duplicate stage name \"" + name + "\": the stage at line " + stageNameLines.get(name)
                        + " already has it");
            }
        } else if (w.size() != 1) {
            throw error(w.size() > 1 ? line.at(w.get(1).offset) : pos, "FROM requires either one or three arguments: image [AS name]");
        }
        if (name != null) {
            int index = stages.size() + (stageFrom == null ? 0 : 1);
            stageNames.put(name, index);
            stageNameLines.put(name, pos.line());
        }
        return new Instruction.From(pos, text, w.getFirst().text, name, fv.string("platform"));
    }

    private CommandLine command(Line line, int rest, String keyword) {
        String s = line.s();
        if (JsonArray.looksLikeJson(s, rest)) {
            try {
                return CommandLine.exec(JsonArray.parse(s, rest));
            } catch (JsonArray.Problem p) {
                throw error(line.at(p.index), keyword + ": " + p.getMessage());
            }
        }
        return CommandLine.shell(s.substring(rest).strip());
    }

    private List<String> jsonOrFields(Line line, int rest, String keyword) {
        String s = line.s();
        if (JsonArray.looksLikeJson(s, rest)) {
            try {
                return JsonArray.parse(s, rest);
            } catch (JsonArray.Problem p) {
                throw error(line.at(p.index), keyword + ": " + p.getMessage());
            }
        }
        return fields(s, rest).stream().map(Word::text).toList();
    }

    /** ENV and LABEL: {@code k=v k2="v 2"}, or the legacy {@code K the rest of the line}. */
    private List<KeyValue> pairs(Line line, int rest, String keyword) {
        String s = line.s();
        List<Word> words = rawWords(s, rest);
        List<KeyValue> out = new ArrayList<>();
        if (!words.getFirst().text.contains("=")) {
            Word key = words.getFirst();
            String value = s.substring(key.end).strip();
            if (value.isEmpty()) {
                throw error(line.at(key.offset), keyword + " " + key.text + " has no value: write " + key.text
                        + "=value (or the legacy form \"" + keyword + " " + key.text + " value\")");
            }
            out.add(new KeyValue(key.text, value));
            return out;
        }
        for (Word w : words) {
            int eq = w.text.indexOf('=');
            if (eq < 0) {
                throw error(line.at(w.offset), "invalid " + keyword + " syntax: can't find = in \"" + w.text
                        + "\"; each item must be name=value");
            }
            if (eq == 0) {
                throw error(line.at(w.offset), keyword + " names can not be blank: \"" + w.text + "\"");
            }
            out.add(new KeyValue(w.text.substring(0, eq), w.text.substring(eq + 1)));
        }
        return out;
    }

    private Instruction.Arg arg(Line line, Position pos, String text, int rest) {
        List<ArgDecl> out = new ArrayList<>();
        for (Word w : rawWords(line.s(), rest)) {
            int eq = w.text.indexOf('=');
            String name = eq < 0 ? w.text : w.text.substring(0, eq);
            if (name.isEmpty()) {
                throw error(line.at(w.offset), "ARG names can not be blank: \"" + w.text + "\"");
            }
            out.add(new ArgDecl(name, eq < 0 ? null : w.text.substring(eq + 1)));
        }
        return new Instruction.Arg(pos, text, out);
    }

    private Instruction.Expose expose(Line line, Position pos, String text, int rest) {
        List<String> ports = new ArrayList<>();
        for (Word w : fields(line.s(), rest)) {
            if (!w.text.contains("$") && Ports.normalize(w.text) == null) {
                throw error(line.at(w.offset), Ports.problem(w.text));
            }
            ports.add(w.text);
        }
        return new Instruction.Expose(pos, text, ports);
    }

    private Instruction addOrCopy(Line line, Position pos, String text, String keyword, FlagValues fv, int rest, boolean trigger) {
        String s = line.s();
        List<String> words = new ArrayList<>();
        List<Heredoc> docs = new ArrayList<>();
        if (JsonArray.looksLikeJson(s, rest)) {
            words.addAll(jsonOrFields(line, rest, keyword));
        } else {
            for (Word w : fields(s, rest)) {
                int k = trigger || standalone ? -1 : line.heredocOffsets.indexOf(w.offset);
                if (k >= 0) {
                    docs.add(line.heredocs.get(k));
                } else {
                    words.add(w.text);
                }
            }
        }
        if (words.isEmpty() || (words.size() < 2 && docs.isEmpty())) {
            throw error(pos, keyword + " requires at least two arguments: a source and a destination");
        }
        String dest = words.removeLast();
        String chmod = fv.string("chmod");
        if (chmod != null && !chmod.contains("$") && !OCTAL_MODE.matcher(chmod).matches()) {
            throw error(line.at(fv.flag("chmod").valueOffset), "invalid --chmod=" + chmod + ": expected an octal mode such as 0755");
        }
        if (keyword.equals("ADD")) {
            String checksum = fv.string("checksum");
            if (checksum != null && !checksum.contains("$")) {
                if (!CHECKSUM.matcher(checksum).matches()) {
                    throw error(line.at(fv.flag("checksum").valueOffset), "invalid --checksum=" + checksum
                            + ": expected sha256:<64 hex digits> (or sha384, sha512)");
                }
                for (String src : words) {
                    if (!src.startsWith("http://") && !src.startsWith("https://")) {
                        throw error(line.at(fv.flag("checksum").offset), "ADD --checksum needs an http(s) URL source, but \""
                                + src + "\" is not one");
                    }
                }
            }
            return new Instruction.Add(pos, text, words, dest, docs, fv.string("chown"), chmod, fv.bool("link"), checksum,
                    fv.bool("keep-git-dir"), fv.list("exclude"));
        }
        String from = fv.string("from");
        if (from != null) {
            if (from.isEmpty()) {
                throw error(line.at(fv.flag("from").valueOffset), "COPY --from needs a stage name, stage index or image");
            }
            if (!from.contains("$") && !trigger && !standalone) {
                copyFroms.add(new PendingFrom(from, line.at(fv.flag("from").valueOffset), stages.size()));
            }
        }
        return new Instruction.Copy(pos, text, words, dest, docs, from, fv.string("chown"), chmod, fv.bool("link"),
                fv.bool("parents"), fv.list("exclude"));
    }

    private Instruction.Volume volume(Line line, Position pos, String text, int rest) {
        String s = line.s();
        List<String> paths;
        if (s.charAt(skipSpace(s, rest)) == '[') {
            // no volume path starts with [: this is meant as the JSON form
            try {
                paths = JsonArray.parse(s, rest);
            } catch (JsonArray.Problem p) {
                throw error(line.at(p.index), "VOLUME: " + p.getMessage());
            }
        } else {
            paths = jsonOrFields(line, rest, "VOLUME");
        }
        if (paths.isEmpty()) {
            throw error(pos, "VOLUME requires at least one path");
        }
        for (String p : paths) {
            if (p.isBlank()) {
                throw error(pos, "VOLUME paths can not be empty strings");
            }
        }
        return new Instruction.Volume(pos, text, paths);
    }

    private Instruction.Healthcheck healthcheck(Line line, Position pos, String text, FlagValues fv, int rest) {
        Word type = word(line.s(), rest);
        if (type.text.isEmpty()) {
            throw error(pos, "HEALTHCHECK requires NONE or CMD followed by a command");
        }
        String t = type.text.toUpperCase(Locale.ROOT);
        if (t.equals("NONE")) {
            if (!fv.given.isEmpty()) {
                throw error(line.at(fv.given.values().iterator().next().offset), "HEALTHCHECK NONE takes no options");
            }
            if (!line.s().substring(type.end).isBlank()) {
                throw error(line.at(skipSpace(line.s(), type.end)), "HEALTHCHECK NONE takes no arguments");
            }
            return new Instruction.Healthcheck(pos, text, null, null, null, null, null, null);
        }
        if (!t.equals("CMD")) {
            throw error(line.at(type.offset), "unknown HEALTHCHECK type \"" + type.text + "\": use CMD or NONE");
        }
        if (line.s().substring(type.end).isBlank()) {
            throw error(line.at(type.offset), "HEALTHCHECK CMD requires a command");
        }
        CommandLine test = command(line, type.end, "HEALTHCHECK");
        Integer retries = null;
        Flag r = fv.flag("retries");
        if (r != null) {
            try {
                retries = Integer.parseInt(r.value);
            } catch (NumberFormatException e) {
                throw error(line.at(r.valueOffset), "--retries needs a whole number, not \"" + r.value + "\"");
            }
            if (retries < 0) {
                throw error(line.at(r.valueOffset), "--retries can not be negative");
            }
        }
        return new Instruction.Healthcheck(pos, text, test, duration(line, fv, "interval"), duration(line, fv, "timeout"),
                duration(line, fv, "start-period"), duration(line, fv, "start-interval"), retries);
    }

    private Duration duration(Line line, FlagValues fv, String name) {
        Flag f = fv.flag(name);
        if (f == null) {
            return null;
        }
        Duration d = GoDuration.parse(f.value);
        if (d == null) {
            throw error(line.at(f.valueOffset), "--" + name + " needs a duration such as 30s or 1m30s, not \"" + f.value + "\"");
        }
        if (!d.isZero() && d.compareTo(Duration.ofMillis(1)) < 0) {
            throw error(line.at(f.valueOffset), "--" + name + " can not be less than 1ms");
        }
        return d;
    }

    private Instruction.Shell shell(Line line, Position pos, String text, int rest) {
        String s = line.s();
        int at = skipSpace(s, rest);
        if (at >= s.length() || s.charAt(at) != '[') {
            throw error(line.at(at), "SHELL requires the arguments in JSON form, e.g. SHELL [\"/bin/sh\", \"-c\"]");
        }
        List<String> shell;
        try {
            shell = JsonArray.parse(s, rest);
        } catch (JsonArray.Problem p) {
            throw error(line.at(p.index), "SHELL: " + p.getMessage());
        }
        if (shell.isEmpty()) {
            throw error(line.at(at), "SHELL requires at least one argument");
        }
        return new Instruction.Shell(pos, text, shell);
    }

    private Instruction.OnBuild onbuild(Line line, Position pos, String text, int rest, boolean trigger) {
        Word sub = word(line.s(), rest);
        String k = sub.text.toUpperCase(Locale.ROOT);
        if (trigger || k.equals("ONBUILD")) {
            throw error(line.at(sub.offset), "chaining ONBUILD via ONBUILD ONBUILD isn't allowed");
        }
        if (k.equals("FROM") || k.equals("MAINTAINER")) {
            throw error(line.at(sub.offset), k + " isn't allowed as an ONBUILD trigger");
        }
        return new Instruction.OnBuild(pos, text, instruction(line, sub.offset, true));
    }

    private static String nearest(String keyword) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : INSTRUCTIONS) {
            int d = distance(keyword, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return bestDistance <= Math.max(1, Math.min(3, keyword.length() / 2)) ? best : null;
    }

    /** Damerau-Levenshtein distance (adjacent transpositions count as one edit). */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    // ---------------------------------------------------------------------------------------------
    // stages

    private void place(Instruction ins) {
        if (ins instanceof Instruction.From f) {
            if (stageFrom != null) {
                closeStage();
            }
            stageFrom = f;
            stageName = f.stageName();
            stageInstructions = new ArrayList<>();
            return;
        }
        if (stageFrom == null) {
            if (ins instanceof Instruction.Arg a) {
                globalArgs.add(a);
                return;
            }
            throw error(ins.position(), ins.keyword() + " before the first FROM: a Dockerfile must start with FROM"
                    + " (only ARG may come before it)");
        }
        stageInstructions.add(ins);
    }

    private void closeStage() {
        stages.add(new Stage(stages.size(), stageName, stageFrom, stageInstructions));
    }

    private void checkCopyFrom(PendingFrom p) {
        String v = p.value.toLowerCase(Locale.ROOT);
        Integer target = stageNames.get(v);
        if (target == null && v.chars().allMatch(Character::isDigit) && !v.isEmpty() && v.length() < 9) {
            int n = Integer.parseInt(v);
            if (n >= p.stage) {
                throw error(p.position, "COPY --from=" + p.value + " names stage " + n + ", but only an earlier stage"
                        + (p.stage == 0 ? " can be copied from, and this is the first one" : " (0 to " + (p.stage - 1) + ") can be copied from"));
            }
            return;
        }
        if (target == null) {
            return; // an image
        }
        if (target == p.stage) {
            throw error(p.position, "COPY --from=" + p.value + " names the stage it is in; only an earlier stage can be copied from");
        }
        if (target > p.stage) {
            throw error(p.position, "COPY --from=" + p.value + " names a later stage (line " + stageNameLines.get(v)
                    + "); only an earlier stage can be copied from");
        }
    }
}
