package org.userptrlab.lab.report;

/** One output of a writer: a file name (used under {@code --out}) and its whole content. */
public record Document(String name, String content) {}
