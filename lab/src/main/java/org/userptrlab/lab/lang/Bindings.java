package org.userptrlab.lab.lang;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.userptrlab.lab.lang.Program.Arg;

/**
 * The values a running program has set, by name, and its operations' arguments read through them:
 * what the model's interpreter and the real kernel's share, each with its own kind of value.
 */
public final class Bindings {
  private final Map<String, Object> values = new HashMap<>();

  public void put(String name, Object value) {
    values.put(name, value);
  }

  public Object get(String name) {
    return values.get(name);
  }

  /** Argument {@code i} as a number: a literal, or a name set to one. */
  public long num(List<Arg> args, int i) {
    if (args.get(i) instanceof Program.Time t) {
      return t.ns();
    }
    return args.get(i) instanceof Program.Num n ? n.value() : (Long) values.get(((Program.Ref) args.get(i)).name());
  }

  /** Argument {@code i} as a word. */
  public String word(List<Arg> args, int i) {
    return ((Program.Word) args.get(i)).text();
  }

  /** Argument {@code i} as an address: the name's value plus its offset. */
  public long addr(List<Arg> args, int i) {
    Program.Ref r = (Program.Ref) args.get(i);
    return (Long) values.get(r.name()) + r.offset();
  }

  /** The value the name in argument {@code i} was set to. */
  public <T> T ref(List<Arg> args, int i, Class<T> type) {
    return type.cast(values.get(((Program.Ref) args.get(i)).name()));
  }

  /** Whether every atom of {@code cond} holds, each call performed by {@code perform} in turn; stops at the first that does not. */
  public boolean holds(Program.Cond cond, java.util.function.Function<Program.Call, Object> perform) {
    for (Program.Atom a : cond.atoms()) {
      boolean v = a.call() != null ? (Boolean) perform.apply(a.call())
          : a.ref() != null ? (Boolean) values.get(a.ref()) : compares(a.compare(), perform);
      if (v == a.negated()) {
        return false;
      }
    }
    return true;
  }

  private boolean compares(Program.Compare c, java.util.function.Function<Program.Call, Object> perform) {
    Object l = value(c.left(), perform);
    Object r = value(c.right(), perform);
    int order = l instanceof Long x ? Long.compareUnsigned(x, (Long) r) : l.equals(r) ? 0 : 1;
    return c.relation().test(order);
  }

  /** An operand's value: the operation's, an address with its offset, a number, or a result's word. */
  private Object value(Program.Operand o, java.util.function.Function<Program.Call, Object> perform) {
    if (o.call() != null) {
      return perform.apply(o.call());
    }
    if (o.arg() instanceof Program.Num n) {
      return n.value();
    }
    if (o.arg() instanceof Program.Word w) {
      return w.text();
    }
    if (o.arg() instanceof Program.Time t) {
      return t.ns();
    }
    Program.Ref r = (Program.Ref) o.arg();
    Object v = values.get(r.name());
    return v instanceof Long x ? x + r.offset() : v;
  }
}
