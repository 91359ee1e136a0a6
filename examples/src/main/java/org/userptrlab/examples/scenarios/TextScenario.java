package org.userptrlab.examples.scenarios;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.harness.ScenarioRun;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.examples.lang.Program;
import org.userptrlab.examples.lang.Program.Arg;
import org.userptrlab.examples.lang.Program.Atom;
import org.userptrlab.examples.lang.Program.Call;
import org.userptrlab.examples.lang.Program.Cond;
import org.userptrlab.examples.lang.Program.Statement;
import org.userptrlab.examples.lang.ProgramError;
import org.userptrlab.examples.lang.Programs;
import org.userptrlab.mm.Capability;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.Process;

/**
 * A scenario written as a program: each line runs in turn on the run's machine, as the Java
 * scenarios do through {@link App}; {@code expect} lines are the run's checks and {@code hazard}
 * lines its hazards. The program was checked when it was read; what can only fail at run time
 * (the kernel's errno, a signal) fails the run as the Java scenarios' failures do.
 */
public final class TextScenario implements Scenario {
  private final String file;
  private final Program program;

  public TextScenario(String file, Program program) {
    this.file = file;
    this.program = program;
  }

  public Program program() {
    return program;
  }

  @Override
  public String name() {
    return program.name();
  }

  @Override
  public String description() {
    return program.description();
  }

  @Override
  public Set<Promise> needs() {
    return program.needs();
  }

  @Override
  public MachineConfig.Builder machine(MachineConfig.Builder defaults) {
    return Programs.machine(program, defaults);
  }

  @Override
  public void run(ScenarioRun run) {
    new Interpreter(run).run();
  }

  /** A GEM handle and the program (its DRM file) it belongs to. */
  private record Handle(App owner, int handle) {}

  private final class Interpreter {
    private final ScenarioRun run;
    private final Map<String, Object> values = new HashMap<>();
    /** The graphics program each process belongs to (a child belongs to its parent's), for free and the driver. */
    private final Map<Process, App> apps = new java.util.LinkedHashMap<>();
    private int line;

    Interpreter(ScenarioRun run) {
      this.run = run;
    }

    void run() {
      for (Statement s : program.body()) {
        line = s.line();
        if (s instanceof Program.Bind b) {
          values.put(b.name(), call(b.call()));
        } else if (s instanceof Program.Do d) {
          call(d.call());
        } else if (s instanceof Program.Expect e) {
          if (e.when() == null || holds(e.when())) {
            run.expect(e.promise(), e.what(), holds(e.cond()));
          }
        } else if (s instanceof Program.Hazard h) {
          if (holds(h.cond())) {
            run.hazard(h.kind(), h.detail());
          }
        }
      }
      for (App app : List.copyOf(new java.util.LinkedHashSet<>(apps.values()))) {
        app.end();
      }
    }

    private boolean holds(Cond c) {
      for (Atom a : c.atoms()) {
        boolean v = a.call() != null ? (Boolean) call(a.call()) : (Boolean) values.get(a.ref());
        if (v == a.negated()) {
          return false;
        }
      }
      return true;
    }

    private Object call(Call c) {
      List<Arg> a = c.args();
      Process p = c.receiver() == null || c.receiver().equals("gpu") ? null : (Process) values.get(c.receiver());
      switch (c.op()) {
        case APP -> {
          App app = new App(run, word(a, 0));
          apps.put(app.p, app);
          return app.p;
        }
        case SPAWN -> {
          return run.machine().spawn(word(a, 0));
        }
        case PRESSURE -> any().pressure(num(a, 0));
        case COMPACT -> any().compact();
        case CMA_ALLOC -> {
          return any().cmaAlloc(num(a, 0));
        }
        case FORK -> {
          Process child = p.fork();
          if (apps.containsKey(p)) {
            apps.put(child, apps.get(p));
          }
          return child;
        }
        case EXEC -> p.exec();
        case EXIT -> p.exit();
        case SETRLIMIT_MEMLOCK -> p.setrlimitMemlock(num(a, 0), num(a, 0));
        case CAPABILITY -> p.setCapability(Capability.valueOf(word(a, 0)), word(a, 1).equals("on"));
        case MALLOC -> {
          return p.malloc(num(a, 0));
        }
        case MEMALIGN -> {
          return p.memalign(num(a, 0), num(a, 1));
        }
        case FREE -> {
          return app(p).free(p, addr(a, 0));
        }
        case MMAP -> {
          return p.mmap(0, num(a, 0), Programs.word(c.op(), 1, word(a, 1)), Programs.word(c.op(), 2, word(a, 2)));
        }
        case MUNMAP -> p.munmap(addr(a, 0), num(a, 1));
        case MPROTECT -> p.mprotect(addr(a, 0), num(a, 1), Programs.word(c.op(), 2, word(a, 2)));
        case MADVISE -> p.madvise(addr(a, 0), num(a, 1), Programs.word(c.op(), 2, word(a, 2)));
        case MLOCK -> p.mlock(addr(a, 0), num(a, 1));
        case MLOCK2 -> p.mlock2(addr(a, 0), num(a, 1), Programs.word(c.op(), 2, word(a, 2)));
        case MUNLOCK -> p.munlock(addr(a, 0), num(a, 1));
        case MLOCKALL -> p.mlockall(Programs.word(c.op(), 0, word(a, 0)));
        case MUNLOCKALL -> p.munlockall();
        case FILL -> p.fill(addr(a, 0), num(a, 1), num(a, 2));
        case STORE -> p.store(addr(a, 0), (byte) num(a, 1));
        case MEMCPY -> p.memcpy(addr(a, 0), addr(a, 1), num(a, 2));
        case USERPTR -> {
          App app = app(p);
          return new Handle(app, app.userptr(addr(a, 0), num(a, 1)));
        }
        case CREATE -> {
          App app = app(p);
          return new Handle(app, app.f.create(num(a, 0)));
        }
        case PWRITE -> handle(a, 0).owner().f.pwrite(handle(a, 0).handle(), num(a, 1), addr(a, 2), num(a, 3));
        case PREAD -> handle(a, 0).owner().f.pread(handle(a, 0).handle(), num(a, 1), addr(a, 2), num(a, 3));
        case CLOSE -> handle(a, 0).owner().gemClose(handle(a, 0).handle());
        case SEES -> {
          return p.matches(addr(a, 0), num(a, 1), num(a, 2));
        }
        case ALIVE -> {
          return p.alive();
        }
        case REPORT_SWAPPED -> app(p).reportSwapped(addr(a, 0), num(a, 1));
        case GPU_SEES -> {
          return handle(a, 0).owner().gpuSees(handle(a, 0).handle(), num(a, 1));
        }
        case GPU_WRITE -> {
          return handle(a, 0).owner().gpuWrites(handle(a, 0).handle(), num(a, 1));
        }
      }
      return null;
    }

    private App app(Process p) {
      App app = apps.get(p);
      if (app == null) {
        throw new ProgramError(file, line, 0, "this process was made by 'spawn', which opens no DRM device; make it with 'app'");
      }
      return app;
    }

    /** Any graphics program of the run, for what the machine does: the first one made. */
    private App any() {
      if (apps.isEmpty()) {
        throw new ProgramError(file, line, 0, "the machine's events need a program made with 'app' first");
      }
      return apps.values().iterator().next();
    }

    private long num(List<Arg> a, int i) {
      return ((Program.Num) a.get(i)).value();
    }

    private String word(List<Arg> a, int i) {
      return ((Program.Word) a.get(i)).text();
    }

    private long addr(List<Arg> a, int i) {
      Program.Ref r = (Program.Ref) a.get(i);
      return (Long) values.get(r.name()) + r.offset();
    }

    private Handle handle(List<Arg> a, int i) {
      return (Handle) values.get(((Program.Ref) a.get(i)).name());
    }
  }
}
