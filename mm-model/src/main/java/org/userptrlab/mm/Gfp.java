package org.userptrlab.mm;

/** Which free pages an allocation may take (include/linux/gfp_types.h, reduced to what placement needs). */
enum Gfp {
  /** GFP_KERNEL: unmovable, ZONE_NORMAL outside CMA only. */
  KERNEL,
  /** GFP_HIGHUSER_MOVABLE: user pages; ZONE_MOVABLE first, then ZONE_NORMAL and its CMA pageblocks. */
  HIGHUSER_MOVABLE,
  /** A movable page that must not land in CMA or ZONE_MOVABLE: the FOLL_LONGTERM migration target. */
  USER_NO_MOVABLE
}
