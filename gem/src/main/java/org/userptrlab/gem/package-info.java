/**
 * A DRM/GEM-like device on the simulated kernel: open files with handles, the userptr, create,
 * pwrite, pread and close ioctls with DRM's errnos, and a GPU whose jobs pin an object and DMA.
 */
package org.userptrlab.gem;
