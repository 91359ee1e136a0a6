package org.userptrlab.lab.lang;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.lab.lang.Program.Arg;
import org.userptrlab.lab.lang.Program.Atom;
import org.userptrlab.lab.lang.Program.Call;
import org.userptrlab.lab.lang.Program.Cond;
import org.userptrlab.lab.lang.Program.Ref;
import org.userptrlab.lab.lang.Program.Setting;
import org.userptrlab.lab.lang.Program.Statement;
import org.userptrlab.mm.KernelConfig;

/**
 * Reads a program, checking as it goes what can be checked before it runs: every operation and
 * word known, every name set before it is used and used as what it is, no process used after it
 * exited. Errors name the file, line and column, and what was expected there.
 */
public final class Parser {
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_-]*");
  /** A scenario's name may start with a digit ("1mib-in-16mib-vma"): it is never read as a value. */
  private static final Pattern SCENARIO_NAME = Pattern.compile("[a-z0-9_][a-z0-9_-]*");
  private static final Pattern SIZE = Pattern.compile("(0|[1-9][0-9]*)([KMG]?)");
  private static final Set<String> KEYWORDS = Set.of("scenario", "machine", "kernel", "needs", "observe", "expect", "hazard", "if", "and",
      "not", "gpu");

  private final String file;
  private final Map<String, Kind> kinds = new HashMap<>();
  /** Processes that exited, with the line of their exit. */
  private final Map<String, Integer> exited = new HashMap<>();
  private int lineNo;
  private List<Token> tokens;
  private int pos;

  private Parser(String file) {
    this.file = file;
  }

  /** Reads {@code text}; {@code file} names it in errors. */
  public static Program parse(String file, String text) {
    return new Parser(file).program(text);
  }

  private record Token(String text, int column, boolean string) {}

  private Program program(String text) {
    String name = null;
    String description = "";
    List<Setting> machine = new ArrayList<>();
    KernelConfig kernel = null;
    Set<Promise> needs = EnumSet.noneOf(Promise.class);
    List<Statement> body = new ArrayList<>();
    List<String> preamble = new ArrayList<>();
    boolean observe = false;
    boolean inBody = false;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      lineNo = i + 1;
      String comment = tokenize(lines[i]);
      if (comment != null) {
        if (name == null && tokens.isEmpty()) {
          preamble.add(comment);
        } else {
          body.add(new Program.Comment(lineNo, comment));
        }
      }
      if (tokens.isEmpty()) {
        continue;
      }
      pos = 0;
      String first = peek().text();
      boolean header = !peek().string() && Set.of("scenario", "machine", "kernel", "needs", "observe").contains(first);
      if (header) {
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
            Token t = next();
            if (t.string() || !SCENARIO_NAME.matcher(t.text()).matches()) {
              throw error(t, "expected the scenario's name (lower-case letters, digits, '-' and '_'), found '" + t.text() + "'");
            }
            name = t.text();
            if (pos < tokens.size()) {
              description = string(next(), "the scenario's description in double quotes");
            }
          }
          case "machine" -> machine.addAll(settings());
          case "observe" -> observe = true;
          case "kernel" -> {
            Token t = next();
            try {
              kernel = KernelConfig.parse(t.text());
            } catch (IllegalArgumentException e) {
              throw error(t, e.getMessage());
            }
          }
          default -> {
            while (pos < tokens.size()) {
              needs.add(enumWord(Promise.class, next(), "a promise"));
            }
          }
        }
        end();
        continue;
      }
      if (name == null) {
        throw error(peek(), "the program must start with 'scenario NAME \"what it does\"'");
      }
      inBody = true;
      body.add(statement());
      end();
    }
    if (name == null) {
      throw new ProgramError(file, 1, 0, "an empty program; it must start with 'scenario NAME \"what it does\"'");
    }
    return new Program(preamble, name, description, machine, kernel, needs, observe, body);
  }

  // ---- statements ---------------------------------------------------------------------------

  private Statement statement() {
    Token first = peek();
    if (!first.string() && first.text().equals("expect")) {
      next();
      Promise promise = enumWord(Promise.class, next(), "a promise, such as GPU_SEES_LATER_CPU_WRITES");
      String what = string(next(), "what is checked, in double quotes");
      Cond cond = cond();
      Cond when = null;
      if (pos < tokens.size() && peek().text().equals("if")) {
        next();
        when = cond();
      }
      return new Program.Expect(lineNo, promise, what, cond, when);
    }
    if (!first.string() && first.text().equals("hazard")) {
      next();
      HazardKind kind = enumWord(HazardKind.class, next(), "a hazard kind, such as GPU_FOLLOWS_CHILD");
      String detail = string(next(), "what was seen, in double quotes");
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
      Token at = peek();
      Call call = call();
      Kind result = call.op().result().orElseThrow(() -> error(at, "'" + call.op().word() + "' gives no value to set "
          + bound + " to"));
      kinds.put(bound, result);
      exited.remove(bound);
      return new Program.Bind(lineNo, bound, call);
    }
    return new Program.Do(lineNo, call());
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
      Token t = peek();
      if (!t.text().contains(".") && kinds.get(t.text()) == Kind.BOOL) {
        next();
        atoms.add(new Atom(negated, null, t.text()));
        continue;
      }
      Call c = call();
      if (c.op().result().orElse(null) != Kind.BOOL) {
        throw error(t, "'" + c.op().word() + "' is not a condition; a condition is a name set to one, or one of: "
            + String.join(", ", conditions()));
      }
      atoms.add(new Atom(negated, c, null));
    } while (pos < tokens.size() && peek().text().equals("and"));
    return new Cond(atoms);
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
    Token t = next();
    if (t.string()) {
      throw error(t, "an operation, not a string");
    }
    String text = t.text();
    int dot = text.indexOf('.');
    String receiver = dot < 0 ? null : text.substring(0, dot);
    String word = dot < 0 ? text : text.substring(dot + 1);
    Op.Receiver kind = receiver == null ? Op.Receiver.NONE : receiver.equals("gpu") ? Op.Receiver.GPU : Op.Receiver.PROCESS;
    if (kind == Op.Receiver.PROCESS) {
      use(t, receiver, Kind.PROCESS);
    }
    Op op = Op.find(kind, word).orElseThrow(() -> error(t, "unknown operation '" + text + "'; "
        + (kind == Op.Receiver.NONE ? "" : (kind == Op.Receiver.GPU ? "the GPU" : "a process") + " knows: ")
        + String.join(", ", Op.words(kind)) + (kind == Op.Receiver.NONE ? " (or NAME.op for a process, gpu.op for the GPU)" : "")));
    if (kind == Op.Receiver.PROCESS && op != Op.ALIVE && exited.containsKey(receiver)) {
      throw error(t, receiver + " exited at line " + exited.get(receiver) + "; it can do nothing after that");
    }
    List<Arg> args = new ArrayList<>();
    for (int i = 0; i < op.args().size(); i++) {
      Kind want = op.args().get(i);
      if (pos >= tokens.size() || (!peek().string() && Set.of("and", "if").contains(peek().text()))) {
        throw error(pos < tokens.size() ? peek() : new Token("", columnAfterLast(), false), "'" + op.word() + "' needs "
            + op.args().size() + " argument" + (op.args().size() == 1 ? "" : "s") + " (" + describe(op.args()) + ")");
      }
      args.add(arg(op, i, want, next()));
    }
    if (op == Op.EXIT) {
      exited.put(receiver, lineNo);
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
        return new Program.Num(size(t));
      }
      case NAME -> {
        return new Program.Word(name(t, op == Op.FILE ? "a name for the file" : "a name for the process"));
      }
      case WORD -> {
        Words.check(op, index, s).ifPresent(msg -> {
          throw error(t, msg);
        });
        return new Program.Word(s);
      }
      case ADDR -> {
        int sign = Math.max(s.indexOf('+'), s.indexOf('-', 1));
        String n = sign < 0 ? s : s.substring(0, sign);
        use(t, n, Kind.ADDR);
        long offset = 0;
        if (sign >= 0) {
          offset = size(new Token(s.substring(sign + 1), t.column() + sign + 1, false));
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
      case SIZE -> "'n = p.heap_vmas'";
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
    };
  }

  private static String describe(List<Kind> args) {
    return String.join(", ", args.stream().map(Parser::article).toList());
  }

  private List<Setting> settings() {
    List<Setting> out = new ArrayList<>();
    if (pos >= tokens.size()) {
      throw error(new Token("", columnAfterLast(), false), "'machine' needs settings, such as 'machine ram 32M swap 64M'");
    }
    while (pos < tokens.size()) {
      Token key = next();
      if (!Setting.KEYS.contains(key.text())) {
        throw error(key, "unknown machine setting '" + key.text() + "'; the settings are " + String.join(", ", Setting.KEYS));
      }
      if (pos >= tokens.size()) {
        throw error(new Token("", columnAfterLast(), false), "'" + key.text() + "' needs a value");
      }
      out.add(new Setting(key.text(), size(next())));
    }
    return out;
  }

  // ---- tokens -------------------------------------------------------------------------------

  /** Splits the line into tokens; returns its comment (without '#'), or null. */
  private String tokenize(String line) {
    tokens = new ArrayList<>();
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#') {
        return line.substring(i + 1).strip();
      } else if (c == '"') {
        int close = line.indexOf('"', i + 1);
        if (close < 0) {
          throw new ProgramError(file, lineNo, i + 1, "a string that does not end; close it with \"");
        }
        tokens.add(new Token(line.substring(i + 1, close), i + 1, true));
        i = close + 1;
      } else {
        int start = i;
        while (i < line.length() && !Character.isWhitespace(line.charAt(i)) && line.charAt(i) != '#' && line.charAt(i) != '"') {
          i++;
        }
        tokens.add(new Token(line.substring(start, i), start + 1, false));
      }
    }
    return null;
  }

  private Token peek() {
    return tokens.get(pos);
  }

  private Token next() {
    if (pos >= tokens.size()) {
      throw error(new Token("", columnAfterLast(), false), "the line ends too early");
    }
    return tokens.get(pos++);
  }

  private int columnAfterLast() {
    Token last = tokens.get(tokens.size() - 1);
    return last.column() + last.text().length() + (last.string() ? 2 : 0) + 1;
  }

  private void end() {
    if (pos < tokens.size()) {
      throw error(peek(), "unexpected '" + peek().text() + "' after a complete line");
    }
  }

  private void expectWord(String word) {
    if (pos >= tokens.size() || !peek().text().equals(word)) {
      throw error(pos < tokens.size() ? peek() : new Token("", columnAfterLast(), false), "expected '" + word + "'");
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

  private long size(Token t) {
    var m = SIZE.matcher(t.text());
    if (t.string() || !m.matches()) {
      throw error(t, "'" + t.text() + "' is not a size; write a number of bytes, optionally with K, M or G (4K, 1M)");
    }
    int shift = switch (m.group(2)) {
      case "K" -> 10;
      case "M" -> 20;
      case "G" -> 30;
      default -> 0;
    };
    try {
      long v = Long.parseLong(m.group(1));
      if (v > Long.MAX_VALUE >>> shift) {
        throw new NumberFormatException();
      }
      return v << shift;
    } catch (NumberFormatException e) {
      throw error(t, "'" + t.text() + "' is too large a size");
    }
  }

  private <E extends Enum<E>> E enumWord(Class<E> type, Token t, String what) {
    try {
      return Enum.valueOf(type, t.text());
    } catch (IllegalArgumentException e) {
      Set<String> names = new LinkedHashSet<>();
      for (E c : type.getEnumConstants()) {
        names.add(c.name());
      }
      throw error(t, "expected " + what + ", found '" + t.text() + "'; one of " + String.join(", ", names));
    }
  }

  private ProgramError error(Token t, String message) {
    return new ProgramError(file, lineNo, t.column(), message);
  }
}
