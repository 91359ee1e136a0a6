package org.userptrlab.lab.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.lab.lang.Op;
import org.userptrlab.lab.lang.Syntax;
import org.userptrlab.lab.scenarios.Catalogue;
import org.userptrlab.mm.KernelChange;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.KernelRelease;

/**
 * What {@code list} shows, as one JSON document in the shape of {@value #SCHEMA} (shipped in the
 * jar): the strategies on the class path, the scenarios, profiles, kernels and their changes, and
 * the language (statements, arguments, operations, promises and hazard kinds), each in a fixed order.
 */
public final class ListingJson {
  /** The version of the document's shape; raised on any change a reader could trip over. */
  public static final int SCHEMA_VERSION = 2;

  /** Where the JSON Schema of the document lies on the class path. */
  public static final String SCHEMA = "/org/userptrlab/lab/report/userptr-lab-list.schema.json";

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ListingJson() {}

  /** The document, for a tool of version {@code version}. */
  public static String write(String version) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    root.putObject("tool").put("name", "userptr-lab").put("version", version);
    ArrayNode strategies = root.putArray("strategies");
    for (Strategies.Info s : Strategies.all()) {
      strategies.addObject().put("name", s.name()).put("contract", s.contract().name()).put("provider", s.provider());
    }
    ArrayNode scenarios = root.putArray("scenarios");
    for (Scenario s : Catalogue.all()) {
      scenarios.addObject().put("name", s.name()).put("description", s.description());
    }
    ArrayNode profiles = root.putArray("profiles");
    for (PlatformProfile p : Profiles.all()) {
      profiles.addObject().put("name", p.name()).put("description", p.description());
    }
    ObjectNode kernels = root.putObject("kernels");
    kernels.put("oldest", KernelRelease.OLDEST.toString());
    ArrayNode presets = kernels.putArray("presets");
    KernelConfig.presets().forEach(k -> presets.add(k.name()));
    ArrayNode changes = root.putArray("kernelChanges");
    for (KernelChange c : KernelChange.values()) {
      changes.addObject().put("id", c.id()).put("release", c.release().toString()).put("commit", c.commit())
          .put("subject", c.subject());
    }
    ArrayNode statements = root.putArray("statements");
    Syntax.statements().forEach(f -> statements.addObject().put("syntax", f.syntax()).put("doc", f.doc()));
    ArrayNode arguments = root.putArray("arguments");
    Syntax.arguments().forEach(f -> arguments.addObject().put("name", f.syntax()).put("doc", f.doc()));
    ArrayNode operations = root.putArray("operations");
    for (Op op : Op.values()) {
      ObjectNode o = operations.addObject();
      o.put("receiver", op.receiver() == Op.Receiver.NONE ? "machine" : op.receiver().name().toLowerCase(Locale.ROOT));
      o.put("word", op.word()).put("usage", op.usage());
      ArrayNode args = o.putArray("arguments");
      for (int i = 0; i < op.args().size(); i++) {
        args.addObject().put("name", op.argNames().get(i)).put("kind", op.args().get(i).name()).put("optional", i >= op.required());
      }
      if (op.result().isPresent()) {
        o.put("result", op.result().get().name());
      } else {
        o.putNull("result");
      }
      o.put("doc", op.doc());
    }
    ArrayNode promises = root.putArray("promises");
    for (Promise p : Promise.values()) {
      promises.addObject().put("name", p.name()).put("text", p.text());
    }
    ArrayNode hazards = root.putArray("hazardKinds");
    for (HazardKind k : HazardKind.values()) {
      hazards.addObject().put("name", k.name()).put("description", k.description());
    }
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
