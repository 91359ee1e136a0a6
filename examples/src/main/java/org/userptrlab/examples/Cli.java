package org.userptrlab.examples;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.userptrlab.core.inject.Strategies;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The command line. Every value is checked before any work starts: a bad one, picocli's own usage
 * errors included, prints one line, {@code userptr-lab: <what is wrong>}, and exits 2; so does no
 * command at all (after the usage). A failure during a run exits 1 (with a stack trace only under
 * {@code --verbose}). Output is rendered whole before a byte of it is written. Besides the commands
 * there are {@code help} and {@code completion} (a bash completion script).
 */
@Command(name = "userptr-lab", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Compares ways a GPU driver can use malloc()ed memory, on a simulated Linux memory manager.",
    subcommands = {ListCommand.class, CheckCommand.class, CompareCommand.class, SweepCommand.class, TimelineCommand.class, ShowCommand.class, RunCommand.class, ExploreCommand.class, ShrinkCommand.class, MergeCommand.class, DiffCommand.class, CalibrateCommand.class})
public final class Cli implements java.util.concurrent.Callable<Integer> {
  /** Exit code of a bad command line or value. */
  public static final int USAGE = 2;

  /** Exit code of a failure during a run. */
  public static final int FAILURE = 1;

  /** Whether the native executor runs here; if not, says why in one line for {@code command}. */
  static boolean executorHere(String command, java.io.PrintWriter err) {
    org.userptrlab.executor.Availability here = org.userptrlab.executor.NativeExecutor.availability();
    if (!here.available()) {
      err.println("userptr-lab: " + command + " needs the native executor: " + here.reason());
    }
    return here.available();
  }

  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    // Discovery builds the first injector, the slowest step of start-up: overlap it with parsing.
    Thread discovery = new Thread(Strategies::names, "userptr-lab-discovery");
    discovery.setDaemon(true);
    // A failing discovery is reported by the command that needs it, in one line.
    discovery.setUncaughtExceptionHandler((t, e) -> { });
    discovery.start();
    // Standard output's file itself, not System.out, which would keep a failed write (a full disk) to itself.
    StdoutFile stdout = new StdoutFile();
    PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8)));
    PrintWriter err = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8)));
    int code = run(out, err, args);
    out.flush();
    // A reader that stopped reading (list | head -1) has what it wanted: nothing to say, as a C tool's SIGPIPE says nothing.
    if (out.checkError() && code != USAGE && !stdout.readerGone()) {
      err.println("userptr-lab: the output could not be written to standard output (a full disk, a closed pipe or a closed "
          + "descriptor): what it holds is cut short");
      code = FAILURE;
    }
    err.flush();
    System.exit(code);
  }

  /** Runs the command line with the given streams and returns the exit code; flushes both streams. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new Cli());
    // picocli's own commands, added here so that the list of the lab's commands above stays the lab's.
    cl.addSubcommand("help", new CommandLine.HelpCommand());
    // Its own help names it generate-completion: that name works, and completion is its shorter one.
    cl.addSubcommand("generate-completion", new picocli.AutoComplete.GenerateCompletion(), "completion");
    CommonOptions.hideRefused(cl.getSubcommands().get("shrink"), ShrinkCommand.REFUSED);
    CommonOptions.hideRefused(cl.getSubcommands().get("explore"), ExploreCommand.REFUSED);
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler((ex, a) -> {
      // One line, as every bad value: the hint to --help goes on it.
      // picocli starts some of its messages with "Error: ", which the tool's prefix says already.
      // picocli names Java's types ("is not an int"); a person wants the numbers it takes.
      String said = plain(ex.getMessage().replaceAll("\\R", " ").strip().replaceFirst("^Error: ", "")
          .replace("' is not an int", "' is not a whole number of at most " + Integer.MAX_VALUE)
          .replace("' is not a long", "' is not a whole number of at most " + Long.MAX_VALUE));
      java.util.regex.Matcher help = java.util.regex.Pattern.compile("Unknown subcommand '([^']*)'\\.?").matcher(said);
      if (help.matches()) {
        // 'help nosuch': picocli's help command says it in its own words.
        said = "no command '" + help.group(1) + "'; the commands are " + String.join(", ", cl.getSubcommands().keySet());
      } else if (ex instanceof CommandLine.UnmatchedArgumentException u && ex.getCommandLine() == cl && !u.getUnmatched().isEmpty()
          && !u.getUnmatched().get(0).startsWith("-")) {
        // A first word that is no command: picocli would say "Unmatched argument at index 0".
        said = "no command '" + u.getUnmatched().get(0) + "'; the commands are " + String.join(", ", cl.getSubcommands().keySet());
      } else if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
          && !u.getUnmatched().get(0).startsWith("-") && isFile(u.getUnmatched().get(0))) {
        // A program file given to a command of the catalogue's scenarios, or with the options a command takes in place of files.
        String file = u.getUnmatched().get(0);
        List<String> instead = ex.getCommandLine().getCommandSpec().argGroups().stream()
            .filter(g -> g.exclusive() && !g.positionalParameters().isEmpty())
            .flatMap(g -> g.options().stream()).map(CommandLine.Model.OptionSpec::longestName).toList();
        long most = ex.getCommandLine().getCommandSpec().positionalParameters().stream()
            .mapToLong(pp -> pp.arity().max()).sum();
        said = instead.isEmpty() && most > 0 && most < Integer.MAX_VALUE ? String.format("%s takes %s program file%s; '%s' is one more",
            ex.getCommandLine().getCommandName(), most == 1 ? "one" : "at most " + most, most == 1 ? "" : "s", file)
            : instead.isEmpty() ? String.format("%s takes no program file ('%s'): 'userptr-lab run %s' runs one, and "
            + "'userptr-lab diff %s' compares it with this machine's kernel", ex.getCommandLine().getCommandName(), file, file, file)
            : String.format("%s takes program files or one of %s, not both ('%s' came with one of them)",
                ex.getCommandLine().getCommandName(), String.join(", ", instead), file);
      }
      err.println("userptr-lab: " + said + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
      return USAGE;
    });
    try {
      return cl.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * picocli's own messages said as the tool's are: lower case, the option first, the values a person types
   * ("--format takes one of table, json, not 'xml'", not "Invalid value for option '--format': expected one of
   * [TABLE, JSON] (case-insensitive) but was 'xml'"), and no argument's index.
   */
  static String plain(String said) {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("Invalid value for option '([^']+)': expected one of \\[([^\\]]*)\\] \\(case-insensitive\\) but was '([^']*)'")
        .matcher(said);
    if (m.matches()) {
      return m.group(1) + " takes one of " + m.group(2).toLowerCase(java.util.Locale.ROOT) + ", not '" + m.group(3) + "'";
    }
    return said.replaceFirst("^Invalid value for option '([^']+)'(?: \\([^)]*\\))?: ", "$1: ")
        .replaceFirst("^Unmatched argument at index \\d+: ", "unexpected argument ")
        .replaceFirst("^Unmatched arguments from index \\d+: ", "unexpected arguments ")
        .replaceFirst("^Missing required parameter for option '([^']+)' \\((.*)\\)$", "$1 needs a value ($2)")
        .replaceFirst("^Missing required parameters?: ", "missing ")
        .replaceFirst("^Missing required argument \\(specify one of these\\): ", "give one of these: ")
        .replaceFirst("^Missing required arguments?: ", "missing ")
        .replaceFirst("^Unknown option: ", "unknown option ")
        .replaceFirst("^Unknown options: ", "unknown options ")
        .replaceFirst("^unknown options ('-[^']*')(?:, '[^-'][^']*')+$", "unknown option $1")
        .replaceFirst("^unknown options ((?:'-[^']*', )*'-[^']*')(?:, '[^-'][^']*')+$", "unknown options $1");
  }

  private static boolean isFile(String word) {
    try {
      return java.nio.file.Files.isRegularFile(java.nio.file.Path.of(word));
    } catch (java.nio.file.InvalidPathException e) {
      return false;
    }
  }

  /** No command: the usage, on standard error since nothing was done, and the exit code of a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return USAGE;
  }
}
