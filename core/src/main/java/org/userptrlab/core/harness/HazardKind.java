package org.userptrlab.core.harness;

/**
 * What went wrong, or was silently accepted, in a run where no promise covers it: the hazards
 * the 2012 thread names, each as a kind a report can count and a test can assert.
 */
public enum HazardKind {
  FELL_BACK_TO_COPY("the strategy fell back to copying"),
  GPU_FOLLOWS_CHILD("after fork the object follows the child, not the parent"),
  GPU_WRITE_REACHED_CHILD("a GPU write reached the child's memory"),
  CHILD_LOST_MAPPING("the child has no mapping of the range (MADV_DONTFORK)"),
  CHILD_KEPT_MAPPING("the child still maps the range"),
  WHOLE_VMA_LOCKED("more pages are VM_LOCKED than the import covers"),
  PAGES_UNRECLAIMABLE("pages outside the range could not be reclaimed"),
  LARGE_FOLIO_HELD("the import holds whole large folios: far more memory than its range, unsplittable and unmovable while held"),
  RLIMIT_MEMLOCK_BYPASS("pages are locked past RLIMIT_MEMLOCK"),
  LOCKED_VM_WRAPPED("locked_vm went below zero and wrapped, so mlock lets the program lock past RLIMIT_MEMLOCK"),
  UNEVICTABLE_AFTER_RELEASE("pages stayed mlocked and unevictable after the object let them go"),
  PINNED_VM_OVER_LIMIT("pinned_vm is over RLIMIT_MEMLOCK"),
  HEAP_SPLIT("brk could not extend the imported heap VMA"),
  PAGES_LEAKED("pages stayed allocated after every user was gone"),
  SWAPPED_WHILE_HELD("pages the object shares with the program were swapped out"),
  CMA_ALLOC_FAILED("a CMA allocation failed"),
  COMPACTION_BLOCKED("compaction could not move pages"),
  MIGRATION_BLOCKED("move_pages could not move pages"),
  GPU_WRITE_LOST("a GPU write never reached the file"),
  FREED_MEMORY_READ("the GPU reads memory the program freed"),
  REUSED_MEMORY_READ("the GPU reads the program's new allocation"),
  REUSED_MEMORY_WRITTEN("a GPU write through an object whose buffer was freed landed in the program's new allocation"),
  FREE_ABORTED("free() aborted: malloc's chunk header was lost"),
  GPU_JOB_FAILED("a GPU job failed"),
  GPU_TOUCHED_FREED_PAGES("a GPU job used pages that were freed while it ran: the strategy neither held them nor waited for the job"),
  RETRY_LIVELOCK("the driver's fault-in kept finding its pages invalidated and gave up: a livelock between the CPU and the GPU"),
  DEADLOCK("two paths take the same locks in opposite orders: a possible deadlock (lockdep's circular locking dependency)"),
  OOM_REAPER_SKIPPED("the OOM reaper could not reap memory a GPU mirrors: the driver's notifier would have blocked"),
  CHUNK_PULLED_BACK("a CPU touch of one page moved a whole range back from the GPU's memory"),
  MIGRATION_PING_PONG("CPU and GPU took turns moving the same pages between RAM and the GPU's memory"),
  COW_BROKEN_BY_GPU_READ("a GPU read asked for write access and copied pages the process shared after fork"),
  DEVICE_MEMORY_HELD("the GPU's memory stayed in use after the object was released"),
  PRESSURE_INEFFECTIVE("memory pressure swapped nothing out"),
  INVARIANT_BROKEN("the memory manager's invariants broke (a model bug)");

  private final String description;

  HazardKind(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
