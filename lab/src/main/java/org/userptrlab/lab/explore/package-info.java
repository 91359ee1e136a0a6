/**
 * The explorer: random programs of the lab's language run under every strategy and kernel with the
 * harness watching, each failure told apart by its {@link org.userptrlab.lab.explore.Signature}
 * and shrunk by delta debugging to a minimal program that {@code userptr-lab run} replays; shards of
 * one run merge into the summary a single machine would have written.
 */
package org.userptrlab.lab.explore;
