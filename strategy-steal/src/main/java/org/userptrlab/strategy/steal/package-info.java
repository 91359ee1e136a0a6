/**
 * The steal strategy ({@code drm_gem_from_userptr}): take the fully covered pages from the
 * program and zap its PTEs, copying the partial edge pages; non-anonymous memory falls back to copying.
 */
package org.userptrlab.strategy.steal;
