package org.userptrlab.mm;

/**
 * One frame as the kernel sees it. {@code maybeDmaPinned} is folio_maybe_dma_pinned: the refcount
 * has reached GUP_PIN_COUNTING_BIAS, which a FOLL_PIN always adds (and 1024 plain references
 * would too: the kernel's own false positive). {@code folio} is the pfn of its folio's head and
 * {@code folioPages} the folio's size in pages (folio_nr_pages: 1 for a small page), {@code folioMapcount} every
 * mapping of the folio (folio_mapcount): references beyond them are someone else's (a pin, GUP, the swap cache).
 */
public record PageInfo(int pfn, int refcount, int mapcount, String flags, String zone, boolean maybeDmaPinned, int folio,
    int folioPages, int folioMapcount) {}
