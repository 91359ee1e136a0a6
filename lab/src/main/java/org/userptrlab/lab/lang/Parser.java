package org.userptrlab.lab.lang;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.lab.lang.Program.Arg;
import org.userptrlab.lab.lang.Program.Atom;
import org.userptrlab.lab.lang.Program.Call;
import org.userptrlab.lab.lang.Program.Compare;
import org.userptrlab.lab.lang.Program.Cond;
import org.userptrlab.lab.lang.Program.Operand;
import org.userptrlab.lab.lang.Program.Relation;
import org.userptrlab.lab.lang.Program.Ref;
import org.userptrlab.lab.lang.Program.Setting;
import org.userptrlab.lab.lang.Program.Statement;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.MmException;

/**
 * Reads a program, checking as it goes what can be checked before it runs: every operation and
 * word known, every name set before it is used and used as what it is, no process used after it
 * exited. Errors name the file, line and column, and what was expected there.
 */
public final class Parser {
  /** The most times a {@code repeat} block may repeat its lines. */
  public static final int MAX_REPEAT = 10_000;
  /** How deep repeat blocks may nest: each level is read by a call of its own. */
  public static final int MAX_REPEAT_DEPTH = 64;
  /** The most statements {@code repeat} blocks may make of a program, so that a nest of them cannot exhaust memory. */
  public static final int MAX_STATEMENTS = 100_000;

  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_-]*");
  /** A scenario's name may start with a digit ("1mib-in-16mib-vma"): it is never read as a value. */
  private static final Pattern SCENARIO_NAME = Pattern.compile("[a-z0-9_][a-z0-9_-]*");
  /** A size: decimal or 0x hex, with a unit from K to T (KiB to TiB, as the command line takes them, alike). */
  private static final Pattern SIZE = Pattern.compile("(?:(0|[1-9][0-9]*)|0[xX]([0-9a-fA-F]+))(?:([KMGT])(?:iB)?)?");
  /** A size as the command line also reads it (4k, 64MB, 1gib): its number and its unit, for the message that says how. */
  private static final Pattern LOOSE_SIZE = Pattern.compile("((?:0|[1-9][0-9]*)|0[xX][0-9a-fA-F]+)([KMGTkmgt])(?:[iI]?[bB])?");
  private static final Set<String> KEYWORDS = Set.of("scenario", "machine", "kernel", "needs", "observe", "expect", "hazard",
      "if", "and",
      "not", "gpu");
  private static final Set<String> HEADER = Set.of("scenario", "machine", "kernel", "needs", "observe");
  /** The words that begin a line that is no operation, in the order a program has them. */
  private static final List<String> STATEMENTS = List.of("scenario", "machine", "kernel", "needs", "observe", "expect", "check",
      "skip", "try", "repeat", "end");

  private final String file;
  private final Map<String, Kind> kinds = new HashMap<>();
  /** The process each thread name was made for ('t1 = p.thread'): a line on the thread acts on that process. */
  private final Map<String, String> threadOf = new HashMap<>();
  /** Processes that exited, with the line of their exit. */
  private final Map<String, Integer> exited = new HashMap<>();
  /** Threads their process's exec ended (de_thread), with the line of the exec. */
  private final Map<String, Integer> execed = new HashMap<>();
  /** The thread the line being read runs on ({@code T: LINE}), or null. */
  private String onThread;
  private List<Line> lines;
  private int lineNo;
  private List<Token> tokens;
  private int pos;

  // What the program says so far.
  private String name;
  private String description = "";
  private final List<Setting> machine = new ArrayList<>();
  /** Where each machine setting's value is written: its line and column. */
  private final List<int[]> machineAt = new ArrayList<>();
  private KernelConfig kernel;
  /** The line of the program's 'kernel' statement, 0 before it. */
  private int kernelAt;
  private final Set<Promise> needs = EnumSet.noneOf(Promise.class);
  private final List<Statement> body = new ArrayList<>();
  private final List<String> preamble = new ArrayList<>();
  private boolean observe;
  private boolean inBody;
  /** Whether the lines read now are a second or later pass of a {@code repeat}: their comments are kept once. */
  private boolean again;
  /** The outermost {@code repeat} being read, {line, column}, or null. */
  private int[] outerRepeat;
  /** Lines read and passes made inside {@code repeat} blocks: bounded, so that nested empty blocks end too. */
  private long repeated;

  private Parser(String file) {
    this.file = file;
  }

  /**
   * Reads {@code text}; {@code file} names it in errors. A byte-order mark before the first line
   * and a carriage return ending a line are allowed, as editors on other systems write them.
   */
  public static Program parse(String file, String text) {
    return new Parser(file).program(text);
  }

  /** A token and where it is: the column of its first character and the column just after its last (1-based). */
  private record Token(String text, int column, int end, boolean string) {}

  /** A line split into tokens, with its comment (or null); or the error that splitting it found, thrown when the line is read. */
  private record Line(int no, List<Token> tokens, String comment, ProgramError error) {}

  private Program program(String text) {
    lines = split(text.startsWith("\uFEFF") ? text.substring(1) : text);
    block(0, lines.size());
    if (name == null) {
      throw new ProgramError(file, 1, 0, "an empty program; it must start with 'scenario NAME \"what it does\"'");
    }
    checkMachine();
    return new Program(preamble, name, description, machine, kernel, needs, observe, body);
  }

  private List<Line> split(String text) {
    String[] raw = text.split("\n", -1);
    List<Line> out = new ArrayList<>(raw.length);
    for (int i = 0; i < raw.length; i++) {
      String line = raw[i].endsWith("\r") ? raw[i].substring(0, raw[i].length() - 1) : raw[i];
      try {
        out.add(tokenize(i + 1, line));
      } catch (ProgramError e) {
        out.add(new Line(i + 1, List.of(), null, e));
      }
    }
    return out;
  }

  /** Reads lines {@code [from, to)}, each {@code repeat} block as many times as it says. */
  private void block(int from, int to) {
    for (int i = from; i < to; i++) {
      countRepeated();
      Line line = enter(i);
      if (line.comment() != null) {
        if (name == null && tokens.isEmpty()) {
          preamble.add(line.comment());
        } else if (!again) {
          add(new Program.Comment(lineNo, line.comment()));
        }
      }
      if (tokens.isEmpty()) {
        continue;
      }
      String first = peek().text();
      boolean plain = !peek().string() && !(tokens.size() > 1 && tokens.get(1).text().equals("=") && !tokens.get(1).string());
      if (plain && HEADER.contains(first)) {
        header(first);
        continue;
      }
      if (name == null) {
        throw error(peek(), "the program must start with 'scenario NAME \"what it does\"'");
      }
      if (!inBody) {
        checkMachine();
        inBody = true;
      }
      if (plain && first.equals("end")) {
        throw error(peek(), "an 'end' with no 'repeat' before it");
      }
      if (plain && first.equals("repeat")) {
        i = repeat(i, to);
        continue;
      }
      add(statement());
      end();
    }
  }

  /** Makes line {@code i} the one being read; throws the error its splitting found. */
  private Line enter(int i) {
    Line line = lines.get(i);
    lineNo = line.no();
    if (line.error() != null) {
      throw line.error();
    }
    tokens = line.tokens();
    pos = 0;
    return line;
  }

  private void add(Statement s) {
    if (body.size() >= MAX_STATEMENTS && outerRepeat != null) {
      throw tooLong();
    }
    body.add(s);
  }

  /** The repeat blocks the line being read is inside. */
  private int repeatDepth;

  /** Counts a line read, or a pass made, inside a {@code repeat} block. */
  private void countRepeated() {
    if (outerRepeat != null && ++repeated > 4L * MAX_STATEMENTS) {
      throw tooLong();
    }
  }

  private ProgramError tooLong() {
    return new ProgramError(file, outerRepeat[0], outerRepeat[1], "the repeat blocks from here make the program longer than "
        + MAX_STATEMENTS + " lines; repeat fewer times");
  }

  /** Reads the {@code repeat N} block that starts at line {@code at}; returns the index of its {@code end}. */
  private int repeat(int at, int to) {
    Token keyword = next();
    Token n = next("the number of times to repeat (repeat 4)");
    if (!n.string() && !n.text().isEmpty() && Character.isLetter(n.text().charAt(0))) {
      throw error(n, "repeat takes a number, not a name: a block is repeated when the program is read");
    }
    // A count, not a size: anything but a plain number from 1 to MAX_REPEAT is refused in those words.
    long times = n.text().matches("\\d{1,6}") ? Long.parseLong(n.text()) : -1;
    if (times < 1 || times > MAX_REPEAT) {
      throw error(n, "repeat takes a number from 1 to " + MAX_REPEAT + ", not " + n.text());
    }
    end();
    int close = matchingEnd(at, to);
    if (close < 0) {
      throw error(keyword, "a 'repeat' with no 'end'; close the block with a line 'end'");
    }
    if (repeatDepth == MAX_REPEAT_DEPTH) {
      throw error(keyword, "repeat blocks nest at most " + MAX_REPEAT_DEPTH + " deep; this one is the " + (MAX_REPEAT_DEPTH + 1)
          + "th: repeat the outer block more times instead");
    }
    repeatDepth++;
    boolean outer = outerRepeat == null;
    if (outer) {
      outerRepeat = new int[] {lineNo, keyword.column()};
    }
    boolean wasAgain = again;
    for (long k = 0; k < times; k++) {
      countRepeated();
      again = wasAgain || k > 0;
      block(at + 1, close);
    }
    again = wasAgain;
    repeatDepth--;
    if (outer) {
      outerRepeat = null;
    }
    Line closing = enter(close);
    if (closing.comment() != null && !again) {
      add(new Program.Comment(lineNo, closing.comment()));
    }
    pos = 1;
    end();
    return close;
  }

  /** The index of the {@code end} that closes the {@code repeat} at line index {@code at}, or -1. */
  private int matchingEnd(int at, int to) {
    int depth = 1;
    for (int j = at + 1; j < to; j++) {
      Line l = lines.get(j);
      if (l.error() != null || l.tokens().isEmpty() || l.tokens().get(0).string()
          || (l.tokens().size() > 1 && l.tokens().get(1).text().equals("=") && !l.tokens().get(1).string())) {
        continue;
      }
      String w = l.tokens().get(0).text();
      depth += w.equals("repeat") ? 1 : w.equals("end") ? -1 : 0;
      if (depth == 0) {
        return j;
      }
    }
    return -1;
  }

  private void header(String first) {
    if (inBody) {
      throw error(peek(), "'" + first + "' belongs in the header, before the program's first operation");
    }
    if (!first.equals("scenario") && name == null) {
      throw error(peek(), "the program must start with 'scenario NAME \"what it does\"'");
    }
    next();
    switch (first) {
      case "scenario" -> {
        if (name != null) {
          throw error(tokens.get(0), "a second 'scenario' line; a file holds one program");
        }
        Token t = next("the scenario's name");
        if (t.string() || !SCENARIO_NAME.matcher(t.text()).matches()) {
          throw error(t, "expected the scenario's name (lower-case letters, digits, '-' and '_'), found '" + t.text() + "'");
        }
        name = t.text();
        if (pos < tokens.size()) {
          description = string(next(), "the scenario's description in double quotes");
        }
      }
      case "machine" -> settings();
      case "observe" -> observe = true;
      case "kernel" -> {
        if (kernelAt > 0) {
          throw error(tokens.get(0), "'kernel' is set twice; it was set at line " + kernelAt);
        }
        kernelAt = lineNo;
        Token t = next("a kernel, such as 3.4, 6.12 or 3.4+foll-pin");
        if (t.string()) {
          throw error(t, "expected a kernel, such as 3.4, 6.12 or 3.4+foll-pin, not a string");
        }
        try {
          kernel = KernelConfig.parse(t.text());
        } catch (IllegalArgumentException e) {
          throw error(t, e.getMessage());
        }
      }
      default -> {
        if (pos >= tokens.size()) {
          throw error(after(), "'needs' names at least one promise: " + String.join(", ", names(Promise.class)));
        }
        while (pos < tokens.size()) {
          needs.add(enumWord(Promise.class, next(), "a promise"));
        }
      }
    }
    end();
  }

  // ---- statements ---------------------------------------------------------------------------

  private Statement statement() {
    Token lead = peek();
    if (!lead.string()) {
      int colon = lead.text().indexOf(':');
      String before = colon > 0 ? lead.text().substring(0, colon) : lead.text();
      if (colon > 0 && colon < lead.text().length() - 1 && kinds.get(before) == Kind.THREAD) {
        throw error(lead, "a space goes after '" + before + ":', as in '" + before + ": " + lead.text().substring(colon + 1) + "'");
      }
      if (colon < 0 && kinds.get(before) == Kind.THREAD && tokens.size() > pos + 1 && tokens.get(pos + 1).text().startsWith(":")) {
        throw error(tokens.get(pos + 1), "no space goes before the colon: '" + before + ": LINE'");
      }
    }
    if (!lead.string() && lead.text().length() > 1 && lead.text().endsWith(":")) {
      String thread = lead.text().substring(0, lead.text().length() - 1);
      if (kinds.get(thread) != Kind.THREAD) {
        throw error(lead, kinds.containsKey(thread) ? "'" + thread + "' is " + article(kinds.get(thread)) + ", not a thread; a line "
            + "runs on a thread set by P.thread ('t1 = p.thread', then 't1: p.munmap buf 4K'), and one without 'T:' on the main "
            + "thread of the process it names, or, naming none (gpu.submit, gpu.wait, at, now), on the thread of the line before it"
            : "'" + thread + "' is used before it is set; set it first, as in " + example(Kind.THREAD));
      }
      next();
      if (execed.containsKey(thread)) {
        throw error(lead, "'" + thread + "' ended at line " + execed.get(thread) + ", where " + threadOf.get(thread) + " called exec: "
            + "execve leaves only the thread that called it (de_thread); make a new one after it ('t2 = " + threadOf.get(thread)
            + ".thread')");
      }
      if (pos >= tokens.size()) {
        throw error(after(), "expected a line after '" + lead.text() + "', as in '" + thread + ": p.munmap buf 4K'");
      }
      if (!peek().string() && peek().text().endsWith(":") && peek().text().length() > 1) {
        throw error(peek(), "a line runs on one thread; write one 'T:' before it");
      }
      if (!peek().string() && (peek().text().equals("repeat") || peek().text().equals("end"))) {
        throw error(peek(), "a thread runs one line, not a block: write '" + lead.text() + "' before each line inside a repeat, "
            + "and none before its 'repeat' or 'end'");
      }
      Token first = peek();
      onThread = thread;
      Statement inner;
      try {
        inner = statement();
      } finally {
        onThread = null;
      }
      Call c = Program.callOf(inner);
      String owner = threadOf.get(thread);
      if (c != null && c.receiver() != null && kinds.get(c.receiver()) == Kind.PROCESS && !c.receiver().equals(owner)) {
        throw error(first, "'" + thread + "' is a thread of " + owner + "; it runs " + owner + "'s calls, not " + c.receiver()
            + "'s: run this line on a thread of " + c.receiver() + " ('t2 = " + c.receiver() + ".thread', then 't2: ...') or "
            + "without one");
      }
      return new Program.On(lineNo, thread, inner);
    }
    Token first = peek();
    // check, skip and try came after programs that may use them as names ('check = p.malloc 4K'): a line
    // that binds one is a binding, as it always was.
    boolean binds = tokens.size() > pos + 1 && tokens.get(pos + 1).text().equals("=") && !tokens.get(pos + 1).string();
    if (!first.string() && first.text().equals("expect")) {
      next();
      Promise promise = enumWord(Promise.class, next("a promise, such as GPU_SEES_LATER_CPU_WRITES"),
          "a promise, such as GPU_SEES_LATER_CPU_WRITES");
      Checked c = checked();
      return new Program.Expect(lineNo, promise, c.what(), c.cond(), c.when());
    }
    if (!first.string() && first.text().equals("try") && !binds) {
      throw error(first, "'try' keeps what the operation came to under a name: write 'r = try " + (tokens.size() > 1
          ? tokens.get(1).text() : "p.close obj") + " ...', then check it ('check \"...\" r == EINVAL')");
    }
    if (!first.string() && first.text().equals("check") && !binds) {
      next();
      Checked c = checked();
      String xfail = null;
      if (pos < tokens.size() && !peek().string() && peek().text().equals("xfail")) {
        next();
        Token why = next("the reason the check is expected to fail, in double quotes (xfail \"WHY\")");
        xfail = string(why, "the reason the check is expected to fail, in double quotes (xfail \"WHY\")");
        if (xfail.isBlank()) {
          throw error(why, "an expected failure says what it saw: 'xfail \"Leak from parent into child\"', not an empty string");
        }
      }
      return new Program.Check(lineNo, c.what(), c.cond(), c.when(), xfail);
    }
    if (!first.string() && first.text().equals("skip") && !binds) {
      next();
      String why = string(next("why the program skips, in double quotes"), "why the program skips, in double quotes");
      expectWord("if");
      return new Program.Skip(lineNo, why, cond());
    }
    if (!first.string() && first.text().equals("hazard")) {
      next();
      HazardKind kind = enumWord(HazardKind.class, next("a hazard kind, such as GPU_FOLLOWS_CHILD"),
          "a hazard kind, such as GPU_FOLLOWS_CHILD");
      String detail = string(next("what was seen, in double quotes"), "what was seen, in double quotes");
      expectWord("if");
      return new Program.Hazard(lineNo, kind, detail, cond());
    }
    if (tokens.size() > pos + 1 && tokens.get(pos + 1).text().equals("=") && !tokens.get(pos + 1).string()) {
      Token target = next();
      String bound = name(target, "a name to set");
      if (KEYWORDS.contains(bound)) {
        throw error(target, "'" + bound + "' is a word of the language; choose another name");
      }
      next();
      if (pos >= tokens.size()) {
        throw error(after(), "expected an operation after '=', as in '" + bound + " = p.malloc 1M'");
      }
      if (!peek().string() && peek().text().equals("try")) {
        next();
        if (pos >= tokens.size()) {
          throw error(after(), "expected an operation after 'try', as in '" + bound + " = try p.close obj'");
        }
        Call call = call();
        kinds.put(bound, Kind.RESULT);
        exited.remove(bound);
        execed.remove(bound);
        return new Program.Try(lineNo, bound, call);
      }
      Token at = peek();
      Call call = call();
      Kind result = call.op().result().orElseThrow(() -> error(at, "'" + call.op().word() + "' gives no value to set "
          + bound + " to"));
      kinds.put(bound, result);
      if (result == Kind.THREAD) {
        threadOf.put(bound, call.receiver());
      } else {
        threadOf.remove(bound);
      }
      exited.remove(bound);
      execed.remove(bound);
      return new Program.Bind(lineNo, bound, call);
    }
    return new Program.Do(lineNo, call());
  }

  /** What an {@code expect} or a {@code check} says after its keyword (and promise): "what" COND [if COND]. */
  private record Checked(String what, Cond cond, Cond when) {}

  private Checked checked() {
    String what = string(next("what is checked, in double quotes"), "what is checked, in double quotes");
    Cond cond = cond();
    Cond when = null;
    if (pos < tokens.size() && peek().text().equals("if")) {
      next();
      when = cond();
    }
    return new Checked(what, cond, when);
  }

  private Cond cond() {
    List<Atom> atoms = new ArrayList<>();
    do {
      if (!atoms.isEmpty()) {
        next();
      }
      boolean negated = false;
      if (pos < tokens.size() && peek().text().equals("not")) {
        next();
        negated = true;
      }
      if (pos >= tokens.size()) {
        throw error(after(), "the line ends where a condition should be: a name set to one, or an operation such as "
            + "P.sees or gpu.sees");
      }
      Token t = peek();
      boolean compared = pos + 1 < tokens.size() && relation(tokens.get(pos + 1)) != null;
      if (!t.text().contains(".") && kinds.get(t.text()) == Kind.BOOL && !compared) {
        next();
        atoms.add(new Atom(negated, null, t.text()));
        continue;
      }
      Operand left = operand();
      if (pos < tokens.size() && relation(peek()) != null) {
        Token r = next();
        if (pos >= tokens.size()) {
          throw error(after(), "the line ends where the right side of '" + r.text() + "' should be");
        }
        Token rt = peek();
        Operand right = operand();
        atoms.add(new Atom(negated, null, null, compare(left, relation(r), right, t, r, rt)));
        continue;
      }
      if (left.call() != null && left.call().op().result().isPresent() && left.call().op().result().get() != Kind.BOOL
          && pos < tokens.size() && !peek().text().equals("and") && !peek().text().equals("if")) {
        // A value with something after it that is not a relation: the relation is what is wrong.
        throw error(peek(), "'" + peek().text() + "' is not a comparison; compare " + article(left.call().op().result().orElseThrow())
            + " with " + String.join(", ", java.util.Arrays.stream(Relation.values()).map(Relation::text).toList()));
      }
      if (left.call() == null || left.call().op().result().orElse(null) != Kind.BOOL) {
        String what = left.call() != null ? "'" + left.call().op().word() + "'" : "'" + t.text() + "'";
        throw error(t, what + " is not a condition; a condition is a name set to one, a comparison (r == EINVAL, "
            + "p.vm_pin == 0) or one of: " + String.join(", ", conditions()));
      }
      atoms.add(new Atom(negated, left.call(), null));
    } while (pos < tokens.size() && peek().text().equals("and"));
    return new Cond(atoms);
  }

  private static Relation relation(Token t) {
    return t.string() ? null : Relation.of(t.text()).orElse(null);
  }

  /**
   * One side of a comparison: an operation that gives a value, a name (an address with an offset), a
   * number, or a result's word (OK, an errno, a signal).
   */
  private Operand operand() {
    Token t = peek();
    if (t.string()) {
      throw error(t, "a comparison compares values, not strings");
    }
    String s = t.text();
    int sign = Math.max(s.indexOf('+'), s.indexOf('-', 1));
    String n = sign < 0 ? s : s.substring(0, sign);
    if (s.contains(".") || (!kinds.containsKey(n) && Op.find(Op.Receiver.NONE, s).isPresent())) {
      Call c = call();
      if (c.op().result().isEmpty()) {
        throw error(t, "'" + c.op().word() + "' gives no value to compare");
      }
      return new Operand(c, null);
    }
    next();
    if (kinds.containsKey(n)) {
      Kind k = kinds.get(n);
      if (sign >= 0 && k != Kind.ADDR) {
        throw error(t, "'" + n + "' is " + article(k) + "; only an address takes an offset");
      }
      long offset = sign < 0 ? 0 : size(new Token(s.substring(sign + 1), t.column() + sign + 1, t.end(), false));
      return new Operand(null, new Ref(n, sign >= 0 && s.charAt(sign) == '-' ? -offset : offset));
    }
    if (Words.results().contains(s)) {
      return new Operand(null, new Program.Word(s));
    }
    if (!s.isEmpty() && Character.isDigit(s.charAt(0))) {
      return new Operand(null, TIME.matcher(s).matches() ? new Program.Time(duration(t)) : new Program.Num(size(t)));
    }
    if (s.equals("not")) {
      throw error(t, "'not' twice: an atom of a condition is negated once at most ('not p.readable buf')");
    }
    if (s.matches("(E|SIG)[A-Z0-9]+")) {
      throw error(t, "'" + s + "' is no result an operation comes to; a result is one of: " + String.join(", ", Words.results()));
    }
    if (s.length() > 1 && s.charAt(0) == '-' && Character.isDigit(s.charAt(1))) {
      throw error(t, "'" + s + "' is negative; a number, size or time to compare with is 0 or more (4K, 5ms)");
    }
    throw error(t, "'" + s + "' is used before it is set; a comparison's side is a name set before, a number, an "
        + "operation that gives a value, or a result: " + String.join(", ", Words.results()));
  }

  /** The kind of an operand's value. */
  private Kind kindOf(Operand o) {
    if (o.call() != null) {
      return o.call().op().result().orElseThrow();
    }
    if (o.arg() instanceof Ref r) {
      return kinds.get(r.name());
    }
    return o.arg() instanceof Program.Num ? Kind.SIZE : o.arg() instanceof Program.Time ? Kind.DURATION : Kind.RESULT;
  }

  /** The comparison, checked: both sides of one kind; addresses and results only (un)equal. */
  private Compare compare(Operand left, Relation rel, Operand right, Token lt, Token rt, Token rightAt) {
    Kind l = kindOf(left);
    Kind r = kindOf(right);
    if (!Set.of(Kind.SIZE, Kind.ADDR, Kind.RESULT, Kind.BOOL, Kind.DURATION).contains(l)) {
      throw error(lt, "a comparison compares sizes, times, addresses, results or conditions, not " + article(l));
    }
    if (l != r) {
      throw error(rightAt, "'" + rt.text() + "' compares " + article(l) + " with " + article(r) + "; compare values of one kind");
    }
    if (l != Kind.SIZE && l != Kind.DURATION && rel != Relation.EQ && rel != Relation.NE) {
      throw error(rt, article(l) + " is only equal (==) or not (!=) to another, not '" + rt.text() + "'");
    }
    return new Compare(left, rel, right);
  }

  /**
   * "did you mean 'X'? " for the operation, or for a line's first word the keyword, nearest {@code word}: the same
   * in lower case, or at most two letters off; empty where none is that near.
   */
  private static String suggestion(Op.Receiver kind, String word) {
    List<String> near = new ArrayList<>(Op.words(kind));
    if (kind == Op.Receiver.NONE) {
      near.addAll(STATEMENTS);
    }
    String best = null;
    // Two letters off for a word of five or more, one for a shorter one.
    int bestDistance = word.length() >= 5 ? 3 : 2;
    String lower = word.toLowerCase(java.util.Locale.ROOT);
    for (String w : near) {
      if (w.equals(word)) {
        continue;
      }
      int d = w.equals(lower) ? 0 : EditDistance.between(w, word);
      if (d < bestDistance) {
        best = w;
        bestDistance = d;
      }
    }
    return best == null ? "" : "did you mean '" + best + "'? ";
  }

  private static List<String> conditions() {
    List<String> out = new ArrayList<>();
    for (Op op : Op.values()) {
      if (op.result().orElse(null) == Kind.BOOL) {
        out.add((op.receiver() == Op.Receiver.GPU ? "gpu." : op.receiver() == Op.Receiver.PROCESS ? "P." : "") + op.word());
      }
    }
    return out;
  }

  private Call call() {
    Token t = next("an operation");
    if (t.string()) {
      throw error(t, "an operation, not a string");
    }
    String text = t.text();
    if (text.matches("[0-9]*\\.[0-9]+[A-Za-z]*")) {
      // 1.5ms in a comparison: a number with a point, not a process's operation.
      throw error(t, "'" + text + "' is a number with a point; a time or a size is a whole number of its unit (1500us, not 1.5ms)");
    }
    int dot = text.indexOf('.');
    String receiver = dot < 0 ? null : text.substring(0, dot);
    String word = dot < 0 ? text : text.substring(dot + 1);
    Op.Receiver kind = receiver == null ? Op.Receiver.NONE : receiver.equals("gpu") ? Op.Receiver.GPU : Op.Receiver.PROCESS;
    if (kind == Op.Receiver.PROCESS) {
      use(t, receiver, Kind.PROCESS);
    }
    if (kind == Op.Receiver.NONE && STATEMENTS.contains(text)) {
      throw error(t, "'" + text + "' starts a line of its own, and an operation goes here; a thread's line ('t1: LINE') and a "
          + "condition run operations");
    }
    Op op = Op.find(kind, word).orElseThrow(() -> error(t, "unknown operation '" + text + "'; " + suggestion(kind, word)
        + (kind == Op.Receiver.NONE ? "" : (kind == Op.Receiver.GPU ? "the GPU" : "a process") + " knows: ")
        + String.join(", ", Op.words(kind)) + (kind == Op.Receiver.NONE ? " (or NAME.op for a process, gpu.op for the GPU)" : "")));
    if (kind == Op.Receiver.PROCESS && op != Op.ALIVE && exited.containsKey(receiver)) {
      throw error(t, receiver + " exited at line " + exited.get(receiver) + "; it can do nothing after that");
    }
    List<Arg> args = new ArrayList<>();
    for (int i = 0; i < op.args().size(); i++) {
      Kind want = op.args().get(i);
      boolean ends = pos >= tokens.size() || (!peek().string() && (Set.of("and", "if").contains(peek().text())
          || relation(peek()) != null));
      if (ends && i >= op.required()) {
        break;
      }
      if (ends) {
        throw error(pos < tokens.size() ? peek() : after(), "'" + op.word() + "' needs " + need(op) + " argument"
            + (op.args().size() == 1 ? "" : "s") + " (" + describe(op) + "): " + op.usage());
      }
      args.add(arg(op, i, want, next()));
    }
    if (op == Op.EXIT) {
      exited.put(receiver, lineNo);
    }
    if (op == Op.EXEC) {
      // de_thread: every other thread of the process ends; the one that called exec goes on.
      for (Map.Entry<String, String> thread : threadOf.entrySet()) {
        if (thread.getValue().equals(receiver) && !thread.getKey().equals(onThread)) {
          execed.putIfAbsent(thread.getKey(), lineNo);
        }
      }
    }
    if (op == Op.OOM_KILL && args.get(0) instanceof Ref victim) {
      if (exited.containsKey(victim.name())) {
        // The OOM killer picks a live task: one gone already is no victim (and a second kill, a use after exit).
        throw error(tokens.get(pos - 1), victim.name() + " exited at line " + exited.get(victim.name()) + "; it can do nothing after that");
      }
      exited.put(victim.name(), lineNo);
    }
    return new Call(receiver, op, args);
  }

  private Arg arg(Op op, int index, Kind want, Token t) {
    if (t.string()) {
      throw error(t, "'" + op.word() + "' takes " + describe(List.of(want)) + " here, not a string");
    }
    String s = t.text();
    switch (want) {
      case SIZE -> {
        if (!s.isEmpty() && Character.isLetter(s.charAt(0))) {
          use(t, s, Kind.SIZE);
          return new Ref(s, 0);
        }
        if (op == Op.SBRK && s.startsWith("-") && s.length() > 1) {
          // sbrk's increment is signed: a negative one gives memory back to the kernel.
          return new Program.Num(-size(new Token(s.substring(1), t.column() + 1, t.end(), false)));
        }
        return new Program.Num(size(t));
      }
      case DURATION -> {
        if (!s.isEmpty() && Character.isLetter(s.charAt(0))) {
          // A name may hold '-', so only a set name with more after a sign is taken for an offset.
          int sign = s.indexOf('+') >= 0 ? s.indexOf('+') : s.lastIndexOf('-');
          if (!t.string() && !kinds.containsKey(s) && sign > 0 && kinds.containsKey(s.substring(0, sign))) {
            throw error(t, "'" + s + "': a time takes no offset; write the time itself ('at 3ms'), or a name set by now ('t = now', "
                + "then 'at t')");
          }
          use(t, s, Kind.DURATION);
          return new Ref(s, 0);
        }
        if (op == Op.GPU_SUBMIT && !TIME.matcher(s).matches()) {
          // A job sized by the bytes it moves rather than by its time: a size with its suffix, so that a time's missing unit is not taken for bytes.
          var m = SIZE.matcher(s);
          if (t.string() || !m.matches() || m.group(3) == null) {
            throw error(t, "'" + s + "' is neither a time nor a size with its unit: a job runs for a time (5ms, 200us; ns, us, ms "
                + "or s) or as long as its bytes take (64K, 1M; K, M, G or T)" + (s.matches("[0-9]*\\.[0-9]+.*")
                ? "; a time or a size is a whole number of its unit (1500us, not 1.5ms)" : ""));
          }
          long bytes = size(t);
          if (bytes > MAX_JOB_BYTES) {
            throw error(t, "'" + s + "' is more than a job moves; a job moves at most 1T");
          }
          return new Program.Num(bytes);
        }
        return new Program.Time(duration(t));
      }
      case NAME -> {
        return new Program.Word(name(t, op == Op.FILE || op == Op.MEMFD || op == Op.TMPFILE ? "a name for the file" : "a name for the process"));
      }
      case WORD -> {
        Words.check(op, index, s).ifPresent(msg -> {
          throw error(t, msg);
        });
        return new Program.Word(s);
      }
      case ADDR -> {
        if (kinds.get(s) == Kind.ADDR) {
          // A name with '-' in it (my-buf), no offset.
          use(t, s, Kind.ADDR);
          return new Ref(s, 0);
        }
        int sign = Math.max(s.lastIndexOf('+'), s.lastIndexOf('-'));
        sign = sign == 0 ? -1 : sign;
        String n = sign < 0 ? s : s.substring(0, sign);
        int inner = Math.max(n.lastIndexOf('+'), n.lastIndexOf('-'));
        if (!kinds.containsKey(n) && inner > 0 && kinds.containsKey(n.substring(0, inner))) {
          throw error(t, "'" + s + "': an address takes one offset (" + n.substring(0, inner) + "+4K, " + n.substring(0, inner)
              + "-16), not two; write their sum");
        }
        if (!n.isEmpty() && Character.isDigit(n.charAt(0))) {
          throw error(t, "'" + s + "' is not an address; an address is a name set before, with an offset if need be "
              + "(buf, buf+4K), as in " + example(Kind.ADDR));
        }
        use(t, n, Kind.ADDR);
        long offset = 0;
        if (sign >= 0) {
          if (kinds.containsKey(s.substring(sign + 1))) {
            throw error(t, "'" + s + "': an address's offset is written out in bytes (" + n + "+4K), not a name: '"
                + s.substring(sign + 1) + "' is set, but an offset takes no name");
          }
          offset = size(new Token(s.substring(sign + 1), t.column() + sign + 1, t.end(), false));
          offset = s.charAt(sign) == '-' ? -offset : offset;
        }
        return new Ref(n, offset);
      }
      default -> {
        use(t, s, want);
        return new Ref(s, 0);
      }
    }
  }

  private void use(Token t, String n, Kind want) {
    Kind k = kinds.get(n);
    if (k == null && n.contains("=") && !t.string()) {
      String w = t.text().contains("=") ? t.text() : n;
      throw error(t, "'" + w + "': '=' goes between spaces, as in '" + w.substring(0, w.indexOf('=')) + " = "
          + w.substring(w.indexOf('=') + 1) + "'");
    }
    if (k == null && !NAME.matcher(n).matches()) {
      throw error(t, "'" + n + "' is no name: a name is lower-case letters, digits, '_' and '-', starting with a letter or '_'"
          + (n.matches(".*[()*/].*") ? " (the language has no parentheses and no arithmetic but ADDR+SIZE and ADDR-SIZE)" : ""));
    }
    if (k == null) {
      throw error(t, "'" + n + "' is used before it is set; set it first, as in " + example(want));
    }
    if (k != want) {
      throw error(t, "'" + n + "' is " + article(k) + ", not " + article(want));
    }
  }

  private static String example(Kind k) {
    return switch (k) {
      case PROCESS -> "'p = app name'";
      case ADDR -> "'buf = p.malloc 1M'";
      case HANDLE -> "'obj = p.userptr buf 1M'";
      case FILE -> "'f = file image.raw 1M 5'";
      case PIN -> "'pin = p.pin buf 4K FOLL_LONGTERM'";
      case RESULT -> "'r = try p.close obj'";
      case SIZE -> "'n = p.heap_vmas'";
      case THREAD -> "'t1 = p.thread'";
      case JOB -> "'job = gpu.submit obj read 5ms'";
      case DURATION -> "'t = now'";
      default -> "'ok = gpu.write obj 2'";
    };
  }

  private static String article(Kind k) {
    return switch (k) {
      case PROCESS -> "a process";
      case ADDR -> "an address";
      case HANDLE -> "a GEM handle";
      case FILE -> "a file";
      case BOOL -> "a condition";
      case SIZE -> "a size";
      case WORD -> "a word";
      case NAME -> "a name";
      case PIN -> "a pin";
      case RESULT -> "a result";
      case THREAD -> "a thread";
      case JOB -> "a GPU job";
      case DURATION -> "a time";
    };
  }

  private static String need(Op op) {
    return op.required() == op.args().size() ? String.valueOf(op.required()) : op.required() + " or " + op.args().size();
  }

  private static String describe(List<Kind> args) {
    return String.join(", ", args.stream().map(Parser::article).toList());
  }

  /** What each of an operation's arguments is: a size that stands for a seed, a byte or a count says so. */
  private static String describe(Op op) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < op.args().size(); i++) {
      String name = op.argNames().get(i);
      out.add(switch (name) {
        case "SEED" -> "a seed";
        case "BYTE" -> "a byte";
        case "COUNT" -> "a count";
        case "OFFSET" -> "an offset";
        case "ALIGNMENT" -> "an alignment";
        case "INCREMENT" -> "an increment";
        default -> article(op.args().get(i));
      });
    }
    return String.join(", ", out);
  }

  private void settings() {
    if (pos >= tokens.size()) {
      throw error(after(), "'machine' needs settings, such as 'machine ram 32M swap 64M'");
    }
    while (pos < tokens.size()) {
      Token key = next();
      if (!Setting.KEYS.contains(key.text())) {
        throw error(key, "unknown machine setting '" + key.text() + "'; the settings are " + String.join(", ", Setting.KEYS));
      }
      if (pos >= tokens.size()) {
        throw error(after(), key.text().equals("hugetlb") ? "'hugetlb' needs a huge page size and a count, as in 'hugetlb 2M 4'"
            : "'" + key.text() + "' needs a value");
      }
      Token value = next();
      Token at = key;
      Setting setting;
      if (key.text().equals("thp") && !value.string() && !value.text().isEmpty() && Character.isDigit(value.text().charAt(0))) {
        at = value;
        long bytes = thpSize(value);
        if (pos >= tokens.size()) {
          throw error(after(), "'thp " + value.text() + "' needs a mode: always, madvise, never or inherit (as "
              + "/sys/kernel/mm/transparent_hugepage/hugepages-" + (bytes >> 10) + "kB/enabled)");
        }
        value = next();
        setting = Setting.thpSize(bytes, thpMode(value, bytes));
      } else if (key.text().equals("hugetlb")) {
        at = value;
        long bytes = size(value);
        if (bytes != 2L << 20 && bytes != 1L << 30) {
          throw error(value, "a hugetlb page is 2M or 1G (x86-64's sizes), not " + value.text());
        }
        if (pos >= tokens.size()) {
          throw error(after(), "'hugetlb " + value.text() + "' needs a count of huge pages, as in 'hugetlb 2M 4'");
        }
        setting = Setting.hugetlb(bytes, count(next(), "a count of huge pages"));
      } else if (key.text().equals("thp_zero_page")) {
        if (!value.string() && (value.text().equals("on") || value.text().equals("off"))) {
          setting = Setting.thpZeroPage(value.text().equals("on"));
        } else {
          throw error(value, "'thp_zero_page' is on or off (as /sys/kernel/mm/transparent_hugepage/use_zero_page), not '"
              + value.text() + "'");
        }
      } else if (key.text().equals("thp_defrag")) {
        setting = Setting.thpDefrag(thpDefrag(value));
      } else {
        setting = key.text().equals("thp") ? Setting.thp(thpMode(value, 0))
            : new Setting(key.text(), key.text().equals("cpus") ? count(value, "a number of CPUs") : size(value));
      }
      for (int i = 0; i < machine.size(); i++) {
        if (machine.get(i).key().equals(setting.key()) && machine.get(i).size() == setting.size()) {
          String what = setting.size() == 0 ? setting.key() : setting.key() + " " + Printer.size(setting.size());
          throw error(at, "'" + what + "' is set twice; it was set at line " + machineAt.get(i)[0]);
        }
      }
      machine.add(setting);
      machineAt.add(new int[] {lineNo, value.column()});
    }
  }

  /** The SIZE of {@code machine thp SIZE MODE}: a folio size multi-size THP has (16K to 2M, a power of two). */
  private long thpSize(Token t) {
    long bytes = size(t);
    int order = Long.numberOfTrailingZeros(bytes) - 12;
    if (Long.bitCount(bytes) != 1 || order < 2 || order > MachineConfig.Thp.PMD_ORDER) {
      throw error(t, "'" + t.text() + "' is not a THP size; 'thp SIZE MODE' takes a power of two from 16K to 2M "
          + "(hugepages-16kB to hugepages-2048kB)");
    }
    return bytes;
  }

  /**
   * Checks the machine the program asks for with the machine's own rules, each setting in the
   * order written, so that an error names the setting that breaks one. RAM the program does not
   * set comes from the command line: until then it is taken as the largest a machine may have.
   */
  private void checkMachine() {
    MachineConfig.Builder b = MachineConfig.builder().ram(MachineConfig.MAX_BYTES);
    boolean ramSet = false;
    for (int i = 0; i < machine.size(); i++) {
      ramSet |= machine.get(i).key().equals("ram");
      try {
        Programs.apply(b, machine.get(i));
        b.build();
      } catch (MmException e) {
        int[] at = machineAt.get(i);
        throw new ProgramError(file, at[0], at[1], "machine " + machine.get(i).key() + ": "
            + e.getMessage().replaceFirst("^" + e.errno().name() + ": ", "")
            + (ramSet || !e.getMessage().contains(" of ram") ? "" : " (the largest machine the model builds: the program sets no "
                + "'machine ram')"));
      }
    }
  }

  // ---- tokens -------------------------------------------------------------------------------

  /**
   * Splits line {@code no} into tokens, separated by spaces and tabs; a {@code #} outside a string
   * starts its comment. Outside strings and comments a program is printable ASCII: anything else
   * is named, with its column, rather than read as part of a word.
   */
  private Line tokenize(int no, String line) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == ' ' || c == '\t') {
        i++;
      } else if (c == '#') {
        for (int j = i + 1; j < line.length(); j++) {
          if (Character.isISOControl(line.charAt(j)) && line.charAt(j) != '\t') {
            throw new ProgramError(file, no, j + 1, unexpected(line.codePointAt(j)));
          }
        }
        return new Line(no, out, line.substring(i + 1).strip(), null);
      } else if (c == '"') {
        i = string(no, line, i, out);
      } else {
        int start = i;
        while (i < line.length() && (c = line.charAt(i)) != ' ' && c != '\t' && c != '#' && c != '"') {
          if (c < '!' || c > '~') {
            throw new ProgramError(file, no, i + 1, unexpected(line.codePointAt(i)));
          }
          i++;
        }
        out.add(new Token(line.substring(start, i), start + 1, i + 1, false));
      }
    }
    return new Line(no, out, null, null);
  }

  /** Reads the string that opens at {@code open} into {@code out}, its escapes replaced; returns the index after it. */
  private int string(int no, String line, int open, List<Token> out) {
    StringBuilder text = new StringBuilder();
    int i = open + 1;
    while (true) {
      if (i >= line.length()) {
        throw new ProgramError(file, no, open + 1, "a string that does not end; close it with \"");
      }
      char c = line.charAt(i);
      if (c == '"') {
        break;
      }
      if (c == '\\') {
        char e = i + 1 < line.length() ? line.charAt(i + 1) : 0;
        switch (e) {
          case '"', '\\' -> text.append(e);
          case 'n' -> text.append('\n');
          case 't' -> text.append('\t');
          case 0 -> throw new ProgramError(file, no, open + 1, "a string that does not end; close it with \"");
          default -> throw new ProgramError(file, no, i + 1, "'\\" + Character.toString(line.codePointAt(i + 1))
              + "' is not an escape; a string knows \\\" (a quote), \\\\ (a backslash), \\n (a new line) and \\t (a tab)");
        }
        i += 2;
        continue;
      }
      if (Character.isISOControl(c) && c != '\t') {
        throw new ProgramError(file, no, i + 1, unexpected(c));
      }
      text.append(c);
      i++;
    }
    out.add(new Token(text.toString(), open + 1, i + 2, true));
    return i + 1;
  }

  /** What a character that cannot stand where it is, is, and what to write instead. */
  static String unexpected(int cp) {
    String code = String.format(Locale.ROOT, "U+%04X", cp);
    String space = switch (cp) {
      case 0x00A0 -> "a no-break space";
      case 0x202F -> "a narrow no-break space";
      case 0x2007 -> "a figure space";
      case 0x200B -> "a zero-width space";
      case 0xFEFF -> "a byte-order mark";
      case '\r' -> "a carriage return";
      default -> Character.isSpaceChar(cp) || Character.isWhitespace(cp) ? "a space character" : null;
    };
    if (space != null) {
      return space + " (" + code + "); separate words with plain spaces or tabs";
    }
    if (Character.isISOControl(cp)) {
      return "a control character (" + code + "); a program is text (is this a binary file?)";
    }
    return "the character '" + Character.toString(cp) + "' (" + code + "); outside strings and comments a program is plain ASCII";
  }

  private Token peek() {
    if (pos >= tokens.size()) {
      throw error(after(), "the line ends too early");
    }
    return tokens.get(pos);
  }

  private Token next() {
    return next(null);
  }

  /** The next token; if the line ends, an error that says {@code expected} (when not null) should be there. */
  private Token next(String expected) {
    if (pos >= tokens.size()) {
      throw error(after(), expected == null ? "the line ends too early" : "the line ends where " + expected + " should be");
    }
    return tokens.get(pos++);
  }

  /** Where a token after the line's last would start: one space after it. */
  private Token after() {
    Token last = tokens.get(tokens.size() - 1);
    return new Token("", last.end() + 1, last.end() + 1, false);
  }

  private void end() {
    if (pos < tokens.size()) {
      throw error(peek(), "unexpected '" + peek().text() + "' after a complete line");
    }
  }

  private void expectWord(String word) {
    if (pos >= tokens.size() || !peek().text().equals(word)) {
      throw error(pos < tokens.size() ? peek() : after(), "expected '" + word + "'");
    }
    next();
  }

  private String name(Token t, String what) {
    if (t.string() || !NAME.matcher(t.text()).matches()) {
      throw error(t, "expected " + what + " (lower-case letters, digits, '-' and '_'), found '" + t.text() + "'");
    }
    return t.text();
  }

  private String string(Token t, String what) {
    if (!t.string()) {
      throw error(t, "expected " + what + ", found '" + t.text() + "'");
    }
    return t.text();
  }

  /**
   * The mode of {@code machine thp MODE} (/sys/kernel/mm/transparent_hugepage/enabled) or, for a folio
   * size other than 0, of {@code machine thp SIZE MODE} (hugepages-&lt;size&gt;kB/enabled).
   */
  private MachineConfig.Thp thpMode(Token t, long size) {
    for (MachineConfig.Thp mode : MachineConfig.Thp.values()) {
      if (!t.string() && mode.sysfsName().equals(t.text()) && (size != 0 || mode != MachineConfig.Thp.INHERIT)) {
        return mode;
      }
    }
    if (size != 0) {
      throw error(t, "'" + t.text() + "' is not a mode of 'thp " + Printer.size(size) + "'; it takes always, madvise, never or "
          + "inherit (as /sys/kernel/mm/transparent_hugepage/hugepages-" + (size >> 10) + "kB/enabled)");
    }
    throw error(t, "'" + t.text() + "' is not a mode of 'thp'; it takes always, madvise or never "
        + "(as /sys/kernel/mm/transparent_hugepage/enabled; inherit is for a size: 'thp 64K inherit')");
  }

  /** The mode of {@code machine thp_defrag MODE}, as /sys/kernel/mm/transparent_hugepage/defrag spells it. */
  private MachineConfig.ThpDefrag thpDefrag(Token t) {
    for (MachineConfig.ThpDefrag mode : MachineConfig.ThpDefrag.values()) {
      if (!t.string() && mode.sysfsName().equals(t.text())) {
        return mode;
      }
    }
    throw error(t, "'" + t.text() + "' is not a mode of 'thp_defrag'; it takes always, defer, defer+madvise, madvise or never "
        + "(as /sys/kernel/mm/transparent_hugepage/defrag)");
  }

  /** The longest time a program may write: a day, so that sums of them stay far from overflowing. */
  static final long MAX_TIME_NS = 86_400_000_000_000L;
  /** The most bytes a job sized by them moves: over 11 minutes at the slowest profile's GPU_DMA. */
  static final long MAX_JOB_BYTES = 1L << 40;

  private static final java.util.regex.Pattern TIME = java.util.regex.Pattern.compile("([0-9]+)(ns|us|ms|s)");

  /** A time: a number with its unit, ns, us, ms or s. */
  private long duration(Token t) {
    var m = TIME.matcher(t.text());
    if (!t.string() && t.text().startsWith("-") && TIME.matcher(t.text().substring(1)).matches()) {
      throw error(t, "'" + t.text() + "' is negative; a time is 0 or more, counted from the start of the run (200us, 5ms, 1s)");
    }
    if (t.string() || !m.matches()) {
      throw error(t, "'" + t.text() + "' is not a time; write a number with its unit: ns, us, ms or s (200us, 5ms, 1s)");
    }
    long unit = switch (m.group(2)) {
      case "s" -> 1_000_000_000L;
      case "ms" -> 1_000_000L;
      case "us" -> 1_000L;
      default -> 1L;
    };
    long ns;
    try {
      ns = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
    } catch (ArithmeticException | NumberFormatException e) {
      ns = Long.MAX_VALUE;
    }
    if (ns > MAX_TIME_NS) {
      throw error(t, "'" + t.text() + "' is too long a time; a program's times are at most a day (86400s)");
    }
    return ns;
  }

  /** A number of things ({@code what}), written as a size is (4, 0x10, 1K); an error in those terms where it is not one. */
  private long count(Token t, String what) {
    if (t.string() || !SIZE.matcher(t.text()).matches()) {
      throw error(t, "'" + t.text() + "' is not " + what + "; write a whole number, as in 4");
    }
    return size(t, "'" + t.text() + "' is too large for " + what);
  }

  private long size(Token t) {
    return size(t, "'" + t.text() + "' is too large a size; the largest is " + Long.MAX_VALUE + " bytes");
  }

  private long size(Token t, String tooLarge) {
    var m = SIZE.matcher(t.text());
    if (t.string() || !m.matches()) {
      // The command line reads 4k, 64MB and 1gib too; a program's sizes are written one way, so that a word stays a word.
      var loose = t.string() ? null : LOOSE_SIZE.matcher(t.text());
      throw error(t, "'" + t.text() + "' is not a size; write a number of bytes, decimal or 0x hex, optionally with K, M, G or T "
          + "(4096, 4K, 1M, 0x1000, 1MiB)" + (loose != null && loose.matches() ? ": in a program the unit is upper case, as "
              + loose.group(1) + loose.group(2).toUpperCase(Locale.ROOT) + " (binary, as every size here)" : ""));
    }
    int shift = switch (m.group(3) == null ? "" : m.group(3)) {
      case "K" -> 10;
      case "M" -> 20;
      case "G" -> 30;
      case "T" -> 40;
      default -> 0;
    };
    try {
      long v = m.group(1) != null ? Long.parseLong(m.group(1)) : Long.parseLong(m.group(2), 16);
      if (v > Long.MAX_VALUE >>> shift) {
        throw new NumberFormatException();
      }
      return v << shift;
    } catch (NumberFormatException e) {
      throw error(t, tooLarge);
    }
  }

  private <E extends Enum<E>> E enumWord(Class<E> type, Token t, String what) {
    try {
      return Enum.valueOf(type, t.text());
    } catch (IllegalArgumentException e) {
      throw error(t, "expected " + what + ", found '" + t.text() + "'; one of " + String.join(", ", names(type)));
    }
  }

  private static <E extends Enum<E>> Set<String> names(Class<E> type) {
    Set<String> names = new LinkedHashSet<>();
    for (E c : type.getEnumConstants()) {
      names.add(c.name());
    }
    return names;
  }

  /** An error at {@code t}; a new line a string of the line holds, which the message may echo, is shown as its escape. */
  private ProgramError error(Token t, String message) {
    return new ProgramError(file, lineNo, t.column(), shortened(message.replace("\n", "\\n")));
  }

  /** A word quoted in a message, cut short past 60 characters: one of a million digits is said, not echoed whole. */
  private static final Pattern LONG_QUOTE = Pattern.compile("'([^'\\s]{40})[^'\\s]{21,}'");

  static String shortened(String message) {
    java.util.regex.Matcher m = LONG_QUOTE.matcher(message);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      int n = m.end() - m.start() - 2;
      m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement("'" + m.group(1) + "...' (" + n + " characters)"));
    }
    return m.appendTail(out).toString();
  }
}
