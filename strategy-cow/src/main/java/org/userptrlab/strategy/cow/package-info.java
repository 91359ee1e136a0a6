/**
 * The COW-trick strategy: take the pages by reference and write-protect the program's PTEs so that
 * its next write copies, giving the GPU a snapshot without a memcpy.
 */
package org.userptrlab.strategy.cow;
