package org.userptrlab.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.userptrlab.lab.explore.ExploreReport;
import org.userptrlab.lab.report.Document;

/**
 * An explore output directory on any Hadoop file system ({@code hdfs://}, {@code s3a://},
 * {@code file://}): the files go into a fresh directory beside it, which then takes its place, so a
 * reader sees the old output or the new one whole. A directory holding anything explore did not
 * write is the user's, and is refused, never replaced.
 */
public final class HadoopOutput {
  /** What explore writes: its result, the coverage, the corpus, and minimal programs (which say so on their first line). */
  private static final Pattern OURS = Pattern.compile(ExploreReport.FILE.replace(".", "\\.") + "|coverage\\.csv|[^/]+\\.scenario");

  private HadoopOutput() {}

  /** As {@link #write(URI, List, Configuration)}, with the Hadoop configuration on the class path ({@code core-site.xml}). */
  public static String write(URI dir, List<Document> files) throws IOException {
    return write(dir, files, new Configuration());
  }

  /**
   * Refuses, before any work, a directory {@link #write} would refuse: the root of a file system, or one
   * holding anything explore did not write (EEXIST, naming it).
   */
  public static void check(URI dir) throws IOException {
    check(dir, new Configuration());
  }

  static void check(URI dir, Configuration conf) throws IOException {
    FileSystem fs = fileSystem(dir, conf);
    target(fs, dir);
  }

  /** Writes {@code files}, in order, as the directory {@code dir}; returns the directory as the file system names it. */
  public static String write(URI dir, List<Document> files, Configuration conf) throws IOException {
    FileSystem fs = fileSystem(dir, conf);
    Path target = target(fs, dir);
    Path fresh = new Path(target.getParent(), "." + target.getName() + ".new-" + Long.toHexString(System.nanoTime()));
    try {
      if (!fs.mkdirs(fresh)) {
        throw new IOException("cannot create " + fresh);
      }
      for (Document d : files) {
        try (OutputStream out = fs.create(new Path(fresh, d.name()), false)) {
          out.write(d.content().getBytes(StandardCharsets.UTF_8));
        }
      }
      if (fs.exists(target) && !fs.delete(target, true)) {
        throw new IOException("cannot replace " + target);
      }
      if (!fs.rename(fresh, target)) {
        throw new IOException("cannot rename " + fresh + " to " + target);
      }
    } finally {
      if (fs.exists(fresh)) {
        fs.delete(fresh, true);
      }
    }
    return target.toString();
  }

  private static FileSystem fileSystem(URI dir, Configuration conf) throws IOException {
    FileSystem fs = FileSystem.get(dir, conf);
    // The output is explore's files alone, as on a local disk: no checksum files beside them (file:// writes .NAME.crc).
    fs.setWriteChecksum(false);
    return fs;
  }

  /** The directory {@code dir} names, refused if it is a root or holds anything explore did not write. */
  private static Path target(FileSystem fs, URI dir) throws IOException {
    // A directory's URI may end in '/' (file:/tmp/found/): the directory is the same.
    Path target = fs.makeQualified(new Path(dir.getScheme(), dir.getAuthority(), dir.getPath().replaceAll("(.)/+$", "$1")));
    if (target.getParent() == null) {
      throw new IOException("EINVAL: " + dir + " is the root of its file system; give a directory under it");
    }
    if (fs.exists(target)) {
      String foreign = foreign(fs, target);
      if (foreign != null) {
        throw new IOException("EEXIST: " + dir + " holds " + foreign + ", which explore did not write; give a new or empty directory");
      }
    }
    return target;
  }

  /** The first entry of {@code dir} explore did not write, or null ({@code dir} a file: itself). */
  private static String foreign(FileSystem fs, Path dir) throws IOException {
    if (!fs.getFileStatus(dir).isDirectory()) {
      return "a file by that name";
    }
    for (FileStatus st : fs.listStatus(dir)) {
      String name = st.getPath().getName();
      if (!st.isFile() || !OURS.matcher(name).matches() || !written(fs, st.getPath())) {
        return name;
      }
    }
    return null;
  }

  /** Whether a file named as explore names its files is one it wrote (a .scenario file: a corpus file or a minimal program). */
  private static boolean written(FileSystem fs, Path file) throws IOException {
    return ExploreReport.wroteProgram(file.getName(), () -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
        return r.readLine();
      }
    });
  }
}
