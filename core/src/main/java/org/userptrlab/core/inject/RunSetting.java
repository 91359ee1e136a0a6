package org.userptrlab.core.inject;

/**
 * A module that changes what a run does, and says how in the words a command line gives for it
 * ({@code --notifier-policy xe-lr}): what a record of a run's options writes for the module.
 */
public interface RunSetting {
  /** The setting as a command line writes it. */
  String setting();
}
