// SPDX-License-Identifier: Apache-2.0
/*
 * upl-exec: runs the process and userptr parts of a userptr-lab program on the real kernel.
 *
 * The lab drives it one command a line on stdin and reads one JSON reply a line on stdout. Each
 * process of the program is a real process (a worker), forked for real, exec'd for real (the
 * worker re-executes this binary with its command socket), and exits for real; its calls are
 * real system calls, malloc and free are glibc's, loads, stores and fills are real memory
 * accesses. The main process routes commands to the workers over Unix sockets, and is the device:
 * an import is made in the program's process, whose files for it (memfd, io_uring, pipes) then go
 * to the main process, which holds them as a driver holds its objects, so that they outlive the
 * program's exit and are not inherited by its children, and runs the GPU's jobs on them.
 *
 * The strategies' driver operations are their userspace analogues, each taking the kernel path
 * the model's strategy stands for:
 * Commands are "ID op args" with ID the program's process; the ops and their arguments are those
 * of run() below ("gpu_sees OBJ FROM LEN SEED POS": bytes [FROM, FROM + LEN) of the object hold
 * the seed's stream from POS).
 *
 *   copy      pwrite(2) of the range into a memfd: copy_from_user, a snapshot.
 *   longterm  io_uring fixed buffers: io_sqe_buffer_register pins with
 *             FOLL_WRITE | FOLL_PIN | FOLL_LONGTERM and charges pinned_vm; a GPU read is
 *             IORING_OP_WRITE_FIXED from the buffer into a memfd, a GPU write READ_FIXED back.
 *             Without CAP_IPC_LOCK io_uring holds the pages to RLIMIT_MEMLOCK as the model's
 *             driver does, though against the user's locked_vm (__io_account_mem), not the mm's.
 *   pin       vmsplice(2) into pipes: iter_to_pipe takes plain references
 *             (iov_iter_get_pages2, FOLL_GET, no pin); a GPU read is tee(2) and read(2) of each
 *             pipe. vmsplice asks without FOLL_WRITE, so each page is write-faulted first, as
 *             the driver's get_user_pages(FOLL_WRITE) would. A pipe holds pipe-max-size bytes
 *             at most without CAP_SYS_RESOURCE, so a range takes as many pipes as it needs.
 *   mlock     as pin, then mlock2(MLOCK_ONFAULT) of every VMA the range touches, whole (the
 *             program's part of it), as the Exynos patch sets VM_LOCKED on them without
 *             faulting anything in; close munlocks them again.
 *   steal     as pin, then MADV_DONTNEED of the pages the range covers whole.
 * A GPU write through a pipe has no analogue: the command answers ENOSYS. "userptr STRATEGY ADDR
 * SIZE 1" is a read-only import (I915_USERPTR_READ_ONLY): the pipe analogues skip the write fault.
 *
 * The selftests' tools (tools/testing/selftests/mm: cow.c, gup_longterm.c), each a command:
 *   vmsplice ADDR SIZE   the range into pipes with no write fault first, as cow.c's vmsplice
 *                        tests; a failure is vmsplice's own answer. An object: gpu_sees reads
 *                        through the pipes, close releases them.
 *   gup_pin ADDR SIZE FLAGS   gup_test's PIN_LONGTERM_TEST_START (FLAGS: USE_WRITE 1, USE_FAST 2);
 *                        an object whose gpu_sees is PIN_LONGTERM_TEST_READ, close unpins. A
 *                        FOLL_WRITE | FOLL_LONGTERM pin is "userptr longterm": io_uring, as
 *                        gup_longterm.c with liburing.
 *   zero ADDR SIZE, swapped ADDR SIZE (pagemap's bit 62 on every page), populated ADDR (pagemap's
 *   bit 63 or 62: the selftests' pagemap_is_populated), frame ADDR (pagemap's
 *   PFN, 0 where none is present), mapcount ADDR (/proc/kpagecount), vm KEY (VmRSS 0, VmLck 1,
 *   VmPin 2, in bytes), vma_flag ADDR MNEMONIC (smaps' VmFlags), anon_huge ADDR (smaps'
 *   AnonHugePages of the VMA, in bytes), mmap_at ADDR SIZE PROT FLAGS,
 *   mremap ADDR OLD NEW FLAGS [DST], reclaim (MADV_PAGEOUT of each of the program's VMAs),
 *   iouring_setup (io_uring_setup(2) of a ring, closed again: what io_uring_queue_init asks first),
 *   clear_refs VALUE (written to /proc/self/clear_refs: 4 write-protects every PTE, soft-dirty).
 * "compact" (a machine command) writes 1 to /proc/sys/vm/compact_memory: compaction of every zone;
 * "zeropage" answers whether a read fault of anonymous memory maps the shared zeropage here (1) or not (0).
 * Files are the machine's, held by the main process: "file_new KIND SIZE SEED" (0: on the local
 * disk, /var/tmp, filled with the seed's stream; 1: on tmpfs, /dev/shm; 2: a memfd, made with
 * memfd_create's FLAGS when given, "file_new 2 SIZE 0 FLAGS" (MFD_HUGETLB: a hugetlbfs file); the others
 * of zeros), "file_sees FILE SIZE SEED", "truncate FILE SIZE", "fallocate FILE SIZE" (mode 0 from
 * offset 0: hugetlbfs takes its huge pages from the pool then); a process maps or reads one with
 * "mmap_file FILE SIZE PROT FLAGS" and "read_direct FILE ADDR SIZE" (O_DIRECT). "swapon PATH
 * SIZE" writes a swap file (mkswap's format), where none of SIZE is there, and switches it on;
 * "swapoff" switches it off and removes it, as the executor's end does at the latest ("swapoff
 * PATH" one that an executor since gone switched on); "swapoff_keep" leaves the file for a later
 * run's swapon. MADV_COLD and MADV_PAGEOUT are given on
 * each CPU in turn (see madvise_every_cpu).
 *
 * Every reply carries how long the command took where it ran ("ns": the system calls and memory
 * accesses, without the protocol around them, and without the analogue's scaffolding, which
 * "scaffold_ns" says apart) and the acting process's VmLck and VmPin (kB) from /proc/self/status.
 *
 * The executor sets no limits of its own: a program may have as many processes and objects, and
 * an object as many pipes, as the machine lets it open. A failure that is not the operation's own
 * answer says so: "limit":true where the executor ran out of something of the machine's (files,
 * processes, pipe pages), "analogue":true where a call of the strategy's analogue that the
 * driver's ioctl does not make failed; "call" names the call. An access or a call on a range that
 * reaches the executor's own memory (its image, libc, ld.so, the stack, its lists), which the
 * model's process has not, is not made: "analogue":true, "call":"own memory".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <linux/capability.h>
#include <linux/io_uring.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define LINE 512
/* Files per message: SCM_MAX_FD is 253; an object with more goes in several messages. */
#define FD_BATCH 250

/* Word w of the stream named by seed: bytes 8w..8w+7, little-endian; Content.patternByte of the model, bit for bit. */
static uint64_t pattern_word(uint64_t seed, uint64_t w)
{
	uint64_t z = seed * 0x9E3779B97F4A7C15ULL + w * 0xBF58476D1CE4E5B9ULL;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static uint8_t pattern_byte(uint64_t seed, uint64_t pos)
{
	return (uint8_t)(pattern_word(seed, pos >> 3) >> ((pos & 7) << 3));
}

/* Writes the stream from position pos over len bytes at dst, a word at a time where it can. */
static void pattern_fill(volatile uint8_t *dst, size_t len, uint64_t seed, uint64_t pos)
{
	size_t i = 0;

	for (; i < len && ((pos + i) & 7); i++)
		dst[i] = pattern_byte(seed, pos + i);
	for (; i + 8 <= len; i += 8) {
		uint64_t w = pattern_word(seed, (pos + i) >> 3);

		memcpy((void *)(dst + i), &w, 8);
	}
	for (; i < len; i++)
		dst[i] = pattern_byte(seed, pos + i);
}

/* Whether len bytes at src hold the stream from position pos. */
static int pattern_matches(const volatile uint8_t *src, size_t len, uint64_t seed, uint64_t pos)
{
	size_t i = 0;

	for (; i < len && ((pos + i) & 7); i++)
		if (src[i] != pattern_byte(seed, pos + i))
			return 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, (const void *)(src + i), 8);
		if (w != pattern_word(seed, (pos + i) >> 3))
			return 0;
	}
	for (; i < len; i++)
		if (src[i] != pattern_byte(seed, pos + i))
			return 0;
	return 1;
}

static void die(const char *what)
{
	fprintf(stderr, "upl-exec: %s: %s\n", what, strerror(errno));
	exit(2);
}

static double now_ns(void)
{
	struct timespec t;

	if (clock_gettime(CLOCK_MONOTONIC, &t))
		die("clock_gettime");
	return t.tv_sec * 1e9 + t.tv_nsec;
}

/* When the command being served began: each reply says how long the command itself took. */
static double started;

/*
 * The analogue's scaffolding within the command being served: what the executor does only because it
 * has no driver (a memfd, pipes, an io_uring ring and its mappings, a second pass over an object's bytes,
 * a staging buffer, a message to another process, the device's own memory and the check of what a job read
 * there), which no driver spends and the model does not price. A command's
 * time leaves it out, and says it apart ("scaffold_ns"), so that the time is the kernel work a driver
 * would cause.
 */
static double scaffold, scaffold_at;

/*
 * Whether the command being served is one of the lab's looks at the kernel's state (pagemap,
 * kpagecount, /proc/self/status and smaps), which no program makes: scaffolding whole. A look at an
 * 8 MiB range through pagemap took 2.5 ms, a tenth of its program's time, which the model, asked
 * the same question of its own state, spends nothing on.
 */
static int looking;

static int is_look(const char *op)
{
	static const char *const looks[] = { "swapped", "populated", "frame", "mapcount", "vm", "vma_flag", "anon_huge",
					     "status" };
	size_t i;

	for (i = 0; i < sizeof(looks) / sizeof(looks[0]); i++)
		if (!strcmp(op, looks[i]))
			return 1;
	return 0;
}

static void scaffold_begin(void)
{
	scaffold_at = now_ns();
}

static void scaffold_end(void)
{
	scaffold += now_ns() - scaffold_at;
}

/* ---- GPU objects: made in a worker, held by the router, as a driver holds them -------- */

enum kind { OBJ_NONE, OBJ_COPY, OBJ_LONGTERM, OBJ_PIPE, OBJ_GUP };

/* CONFIG_GUP_TEST's long-term pin (mm/gup_test.h): one at a time, held until STOP or the file's release. */
#define GUP_TEST_FILE "/sys/kernel/debug/gup_test"
#define PIN_LONGTERM_TEST_START _IOW('g', 7, struct pin_longterm_test)
#define PIN_LONGTERM_TEST_STOP _IO('g', 8)
#define PIN_LONGTERM_TEST_READ _IOW('g', 9, uint64_t)
#define PIN_LONGTERM_TEST_FLAG_USE_WRITE 1
#define PIN_LONGTERM_TEST_FLAG_USE_FAST 2

struct pin_longterm_test {
	uint64_t addr;
	uint64_t size;
	uint32_t flags;
};

struct obj {
	enum kind kind;
	int owner;		/* the process that imported it */
	size_t len;
	uint64_t addr;		/* longterm: the registered buffer's address in the program; mlock: the range's */
	int memfd;		/* copy, longterm: where the GPU's bytes go */
	int ring;		/* longterm */
	struct io_uring_params p;
	void *sq, *cq, *sqes;
	size_t sq_sz, cq_sz, sqes_sz;
	int gup;		/* gup_test's file, holding its long-term pin */
	int npipes;		/* pin, mlock, steal: read ends of the pipes holding the page references */
	int mlocked;		/* mlock: the VMAs the range touches are locked until the object goes */
	int *pipes;
};

/* What a worker sends with a long-term object: the ring's layout, and the buffer it registered. */
struct ring_msg {
	struct io_uring_params p;
	uint64_t addr;
};

static struct obj *objs;
static int nobjs, nmade;
static int chan;
static sigjmp_buf fault_jmp;
static volatile sig_atomic_t faulting;
static long page_size;
static long pipe_max;

static void on_fault(int sig)
{
	char reply[32] = "{\"ok\":false,\"signal\":";
	size_t n = strlen(reply);
	ssize_t sent;

	if (faulting)
		siglongjmp(fault_jmp, sig);
	/*
	 * Outside the program's own accesses (in malloc, say, over a heap given back under it) the
	 * process dies of the signal, as the program would; it tells the router which first, with
	 * write(2), which a handler may call where stdio may not.
	 */
	if (sig >= 10)
		reply[n++] = (char)('0' + sig / 10);
	reply[n++] = (char)('0' + sig % 10);
	reply[n++] = '}';
	reply[n++] = '\n';
	sent = write(chan, reply, n);
	(void)sent;
	signal(sig, SIG_DFL);
	raise(sig);
}

/* A "Key:   N kB" line of /proc/self/status; read without stdio, whose buffer would come from the heap under test. */
static long status_kb(const char *key)
{
	char buf[4096], *at = buf;
	size_t n = strlen(key);
	ssize_t len;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die("open /proc/self/status");
	len = read(fd, buf, sizeof(buf) - 1);
	if (len < 0)
		die("read /proc/self/status");
	close(fd);
	buf[len] = 0;
	while (at && *at) {
		if (!strncmp(at, key, n) && at[n] == ':')
			return strtol(at + n + 1, NULL, 10);
		at = strchr(at, '\n');
		at = at ? at + 1 : NULL;
	}
	return -1;
}

/*
 * Where scratch memory goes: a window far below the program's mappings (which the kernel places top
 * down from mmap_base), so that the executor's own memory never lands in a hole the program has just
 * made. The window counts as the executor's own (own_memory).
 */
#define SCRATCH_BASE ((uintptr_t)1 << 45)
#define SCRATCH_SPAN ((uintptr_t)1 << 40)
static uintptr_t scratch_next = SCRATCH_BASE;

/* Scratch memory outside the program's heap: mmap, so that malloc's state stays the program's own. */
static uint8_t *scratch(size_t len)
{
	size_t size = len ? len : 1;
	void *p;

	if (scratch_next + size > SCRATCH_BASE + SCRATCH_SPAN)
		scratch_next = SCRATCH_BASE;
	/* A hint: the kernel takes it where it is free, and looks elsewhere where it is not. */
	p = mmap((void *)scratch_next, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	if ((uintptr_t)p >= SCRATCH_BASE && (uintptr_t)p < SCRATCH_BASE + SCRATCH_SPAN)
		scratch_next = (uintptr_t)p + ((size + 0xfffff) & ~(size_t)0xfffff);
	return p;
}

static void scratch_free(uint8_t *p, size_t len)
{
	if (munmap(p, len ? len : 1))
		die("munmap scratch");
}

/* A reply on the worker's socket, with the process's VmLck and VmPin, and file descriptors if nfds > 0. */
static void send_reply(const int *fds, int nfds, const void *extra, size_t extra_len, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void send_reply(const int *fds, int nfds, const void *extra, size_t extra_len, const char *fmt, ...)
{
	char body[LINE], out[LINE + 64];
	char cbuf[CMSG_SPACE(sizeof(int) * FD_BATCH)];
	struct iovec iov[2];
	struct msghdr msg = { 0 };
	va_list ap;
	double at = now_ns(), ns;
	int n;

	if (started > 0 && looking)
		scaffold = at - started;
	ns = started > 0 && !looking ? at - started - scaffold : 0;

	/* All but the last batch of files go first, each with a space the router skips. */
	for (; nfds > FD_BATCH; fds += FD_BATCH, nfds -= FD_BATCH) {
		struct iovec one = { .iov_base = " ", .iov_len = 1 };
		struct msghdr m = { .msg_iov = &one, .msg_iovlen = 1, .msg_control = cbuf,
				    .msg_controllen = CMSG_SPACE(sizeof(int) * FD_BATCH) };
		struct cmsghdr *cm = CMSG_FIRSTHDR(&m);

		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * FD_BATCH);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * FD_BATCH);
		if (sendmsg(chan, &m, 0) != 1)
			die("sendmsg files");
	}
	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	n = snprintf(out, sizeof(out), "{%s,\"ns\":%.0f,\"scaffold_ns\":%.0f,\"vmlck\":%ld,\"vmpin\":%ld}\n", body, ns,
		     started > 0 ? scaffold : 0, status_kb("VmLck"), status_kb("VmPin"));
	iov[0].iov_base = out;
	iov[0].iov_len = (size_t)n;
	iov[1].iov_base = (void *)extra;
	iov[1].iov_len = extra_len;
	msg.msg_iov = iov;
	msg.msg_iovlen = extra_len ? 2 : 1;
	if (nfds > 0) {
		struct cmsghdr *cm;

		msg.msg_control = cbuf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfds);
	}
	if (sendmsg(chan, &msg, 0) != (ssize_t)(n + extra_len))
		die("sendmsg reply");
}

static void fail(int err)
{
	send_reply(NULL, 0, NULL, 0, "\"ok\":false,\"errno\":%d", err);
}

/* A failure that is not the operation's own answer: cause is "limit" or "analogue" (see the top). */
static void fail_in(int err, const char *cause, const char *call)
{
	send_reply(NULL, 0, NULL, 0, "\"ok\":false,\"errno\":%d,\"%s\":true,\"call\":\"%s\"", err, cause, call);
}

static void ok(long long v)
{
	send_reply(NULL, 0, NULL, 0, "\"ok\":true,\"value\":%lld", v);
}

/* A success whose address the executor's own memory decided: a mapping moved because that memory lies after it. */
static void ok_displaced(long long v)
{
	send_reply(NULL, 0, NULL, 0, "\"ok\":true,\"value\":%lld,\"displaced\":true", v);
}

static int sys_io_uring_setup(unsigned entries, struct io_uring_params *p)
{
	return (int)syscall(__NR_io_uring_setup, entries, p);
}

static int sys_io_uring_enter(int fd, unsigned submit, unsigned min, unsigned flags)
{
	return (int)syscall(__NR_io_uring_enter, fd, submit, min, flags, NULL, 0);
}

static int sys_io_uring_register(int fd, unsigned op, void *arg, unsigned nr)
{
	return (int)syscall(__NR_io_uring_register, fd, op, arg, nr);
}

/* The ring's queues, mapped in the process that submits to it (the router). */
static int ring_map(struct obj *o)
{
	o->sq_sz = o->p.sq_off.array + o->p.sq_entries * sizeof(unsigned);
	o->cq_sz = o->p.cq_off.cqes + o->p.cq_entries * sizeof(struct io_uring_cqe);
	o->sqes_sz = o->p.sq_entries * sizeof(struct io_uring_sqe);
	o->sq = mmap(NULL, o->sq_sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, o->ring, IORING_OFF_SQ_RING);
	o->cq = mmap(NULL, o->cq_sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, o->ring, IORING_OFF_CQ_RING);
	o->sqes = mmap(NULL, o->sqes_sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, o->ring, IORING_OFF_SQES);
	if (o->sq == MAP_FAILED || o->cq == MAP_FAILED || o->sqes == MAP_FAILED)
		return -errno;
	return 0;
}

/* One fixed-buffer transfer between the object's pinned pages and its memfd; 0 or -errno. */
static int ring_rw(struct obj *o, int opcode)
{
	unsigned *tail = (unsigned *)((char *)o->sq + o->p.sq_off.tail);
	unsigned *mask = (unsigned *)((char *)o->sq + o->p.sq_off.ring_mask);
	unsigned *array = (unsigned *)((char *)o->sq + o->p.sq_off.array);
	unsigned *chead = (unsigned *)((char *)o->cq + o->p.cq_off.head);
	unsigned *ctail = (unsigned *)((char *)o->cq + o->p.cq_off.tail);
	unsigned *cmask = (unsigned *)((char *)o->cq + o->p.cq_off.ring_mask);
	struct io_uring_cqe *cqes = (struct io_uring_cqe *)((char *)o->cq + o->p.cq_off.cqes);
	struct io_uring_sqe *sqe;
	unsigned idx = *tail & *mask;
	int res;

	sqe = &((struct io_uring_sqe *)o->sqes)[idx];
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = (uint8_t)opcode;
	sqe->fd = o->memfd;
	sqe->addr = o->addr;
	sqe->len = (uint32_t)o->len;
	sqe->off = 0;
	sqe->buf_index = 0;
	array[idx] = idx;
	__atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
	if (sys_io_uring_enter(o->ring, 1, 1, IORING_ENTER_GETEVENTS) < 0)
		return -errno;
	if (__atomic_load_n(ctail, __ATOMIC_ACQUIRE) == *chead)
		return -EIO;
	res = cqes[*chead & *cmask].res;
	__atomic_store_n(chead, *chead + 1, __ATOMIC_RELEASE);
	if (res < 0)
		return res;
	return (size_t)res == o->len ? 0 : -EIO;
}

/* The faults this thread has taken, its own and its get_user_pages' (mm_account_fault): the lab's look. */
static long faults_so_far(void)
{
	struct rusage r;

	scaffold_begin();
	if (getrusage(RUSAGE_THREAD, &r))
		die("getrusage");
	scaffold_end();
	return r.ru_minflt + r.ru_majflt;
}

/*
 * The driver's FOLL_WRITE: each page of the range faulted in for writing, its bytes as they are;
 * 0, or -EFAULT where a page cannot be written, as get_user_pages answers for it. MADV_POPULATE_WRITE
 * (5.14) faults them in as get_user_pages does, in the kernel (faultin_page): no trap, and each PTE
 * left old for the program's first touch. Where it fails (a hole, a page that cannot be written, an
 * older kernel), a write to each page finds the page and the answer.
 *
 * A populate that faulted nothing in (mm_account_fault counts GUP's faults too) only walked pages
 * already present and writable, which the driver's pin_user_pages_fast takes in its one lockless
 * walk, as vmsplice's GUP-fast does next: that walk is the analogue's second, scaffolding (17
 * present pages: 3 us as a program's step against the pin's 0.4 priced).
 */
static int write_fault(uintptr_t addr, size_t len)
{
	uintptr_t start = addr & ~(uintptr_t)(page_size - 1);
	volatile uintptr_t a;
	long faults = faults_so_far();
	double at = now_ns(), took;

	if (!madvise((void *)start, (addr + len + page_size - 1 - start) & ~(uintptr_t)(page_size - 1), MADV_POPULATE_WRITE)) {
		took = now_ns() - at;
		if (faults_so_far() == faults)
			scaffold += took;
		return 0;
	}
	if (sigsetjmp(fault_jmp, 1)) {
		faulting = 0;
		return -EFAULT;
	}
	faulting = 1;
	for (a = addr & ~(uintptr_t)(page_size - 1); a < addr + len; a += page_size) {
		volatile uint8_t *b = (volatile uint8_t *)(a < addr ? addr : a);

		*b = *b;
	}
	faulting = 0;
	return 0;
}

static int memfd_sized(size_t len)
{
	int fd = memfd_create("upl-gpu", MFD_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)len)) {
		int err = errno;

		close(fd);
		return -err;
	}
	return fd;
}

/* A pipe's len bytes spliced into null (splice_write_null: pipe_buf_release, a put_page of each page). */
static void pipe_empty(int fd, int null, size_t len)
{
	ssize_t put;

	for (; len > 0; len -= (size_t)put)
		if ((put = splice(fd, NULL, null, NULL, len, SPLICE_F_NONBLOCK)) <= 0)
			die("splice to /dev/null");
}

static void close_fds(int *fds, int n)
{
	while (n-- > 0)
		if (fds[n] >= 0 && close(fds[n]))
			die("close");
}

/*
 * The executor's own files (and the array that held them) let go: the analogue's clean-up, scaffolding
 * as their making was, so that a refused import's time is the kernel's refusal alone.
 */
static void scaffold_close(int *fds, int n, uint8_t *held, size_t held_len)
{
	scaffold_begin();
	close_fds(fds, n);
	if (held)
		scratch_free(held, held_len);
	scaffold_end();
}

/* What program_parts does with each part of the program's memory: 0, or -errno with *call naming the call. */
typedef int (*part_fn)(uintptr_t lo, uintptr_t hi, const char **call);
static int program_parts(uintptr_t from, uintptr_t to, int file_only, part_fn fn, const char **call);
static int swap_active(void);
static int mlock_part(uintptr_t lo, uintptr_t hi, const char **call);
static int munlock_part(uintptr_t lo, uintptr_t hi, const char **call);
static int relock_part(uintptr_t lo, uintptr_t hi, const char **call);
/* Where the mlock analogue's last mlock_part failed: the parts below it are locked. */
static uintptr_t mlock_failed_at;
/*
 * What the mlock analogue's releases munlocked: the Exynos patch clears VM_LOCKED there and leaves
 * the pages PG_mlocked, so its next import of a range in those VMAs sets VM_LOCKED over pages
 * already locked, where the analogue's mlock2 would lock every one of them again.
 */
static struct { uintptr_t lo, hi; } unlocked[256];
static int nunlocked;

/* A failure of the executor's own files (EMFILE, ENFILE) is the machine's limit; any other, the analogue's. */
static const char *cause_of(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOMEM ? "limit" : "analogue";
}

/*
 * The userptr ioctl's analogue, in the program's process: the object's files go to the router
 * with the reply, and the program keeps none of them, so that they outlive its exit and are not
 * inherited by its children.
 */
static void userptr(const char *strategy, uintptr_t addr, size_t len, int read_only, int own_answer)
{
	int *fds, n = 0, err, max;
	size_t fds_len;

	if (!strcmp(strategy, "copy") || !strcmp(strategy, "longterm")) {
		int memfd, one[2];

		scaffold_begin();
		memfd = memfd_sized(len);
		scaffold_end();
		if (memfd < 0) {
			fail_in(-memfd, "limit", "memfd_create");
			return;
		}
		one[0] = memfd;
		if (!strcmp(strategy, "copy")) {
			/*
			 * copy_from_user into the object: a snapshot. pwrite stops short at a page it
			 * cannot read, and fails with EFAULT, the ioctl's own answer, when asked again.
			 */
			size_t done = 0;
			ssize_t put = 0;

			while (done < len && (put = pwrite(memfd, (void *)(addr + done), len - done, (off_t)done)) > 0)
				done += (size_t)put;
			if (done < len) {
				err = put < 0 ? errno : EIO;
				scaffold_close(one, 1, NULL, 0);
				if (err == EFAULT)
					fail(err);
				else
					fail_in(err, err == ENOSPC || err == EFBIG ? "limit" : "analogue", "pwrite");
				return;
			}
			send_reply(one, 1, NULL, 0, "\"ok\":true,\"value\":0,\"kind\":%d,\"len\":%zu", OBJ_COPY, len);
			close_fds(one, 1);
			return;
		}
		{
			struct io_uring_params p;
			struct iovec iov = { .iov_base = (void *)addr, .iov_len = len };
			int ring;

			memset(&p, 0, sizeof(p));
			scaffold_begin();
			/*
			 * The memfd's pages made now, as a copy object's are at its import: the ring's copy into it
			 * before a GPU read then writes pages that exist, and the read that follows, the device's
			 * transfer, reads them as it reads a copy object's (an object's first read took 200 to 212 us
			 * for 1 MiB here, its later ones and every other analogue's 147 to 159).
			 */
			if (len && fallocate(memfd, 0, 0, (off_t)len)) {
				err = errno;
				scaffold_end();
				scaffold_close(one, 1, NULL, 0);
				fail_in(err, err == ENOSPC || err == ENOMEM ? "limit" : "analogue", "fallocate");
				return;
			}
			ring = sys_io_uring_setup(4, &p);
			scaffold_end();
			if (ring < 0) {
				err = errno;
				scaffold_close(one, 1, NULL, 0);
				fail_in(err, "limit", "io_uring_setup");
				return;
			}
			/* io_sqe_buffer_register: pin_user_pages(FOLL_WRITE | FOLL_LONGTERM), charged to pinned_vm. */
			if (sys_io_uring_register(ring, IORING_REGISTER_BUFFERS, &iov, 1) < 0) {
				err = errno;
				one[1] = ring;
				scaffold_close(one, 2, NULL, 0);
				fail(err);
				return;
			}
			{
				struct ring_msg m = { .p = p, .addr = addr };

				/*
				 * An io_uring file cannot pass over SCM_RIGHTS: the router takes it with
				 * pidfd_getfd(2) and then tells this process to close its own ("closefd").
				 */
				send_reply(one, 1, &m, sizeof(m), "\"ok\":true,\"value\":0,\"kind\":%d,\"len\":%zu,\"ringfd\":%d",
					   OBJ_LONGTERM, len, ring);
			}
			close_fds(one, 1);
			return;
		}
	}
	if (strcmp(strategy, "pin") && strcmp(strategy, "mlock") && strcmp(strategy, "steal")) {
		fail(EINVAL);
		return;
	}
	/* A read-only import asks without FOLL_WRITE, as vmsplice(2) itself does: no write fault first. */
	err = read_only ? 0 : write_fault(addr, len);
	if (err) {
		fail(-err);
		return;
	}
	{
		/*
		 * The range as segments, each into pipes of its own: the whole range by reference; for
		 * steal, drm_gem_from_userptr's split instead: the partly covered edge pages are copied
		 * (write(2) copies into the pipe's own page) and only the whole pages go by reference.
		 * A pipe holds at most pipe-max-size bytes (without CAP_SYS_RESOURCE): as many as it takes.
		 */
		uintptr_t full = (addr + page_size - 1) & ~(uintptr_t)(page_size - 1);
		uintptr_t end = (addr + len) & ~(uintptr_t)(page_size - 1);
		struct { uintptr_t at; size_t len; int copy; } seg[3];
		size_t chunk = (size_t)pipe_max - 2 * (size_t)page_size;
		int nseg = 0, k;

		if (strcmp(strategy, "steal") || end <= full) {
			seg[nseg++] = (typeof(seg[0])){ addr, len, !strcmp(strategy, "steal") };
		} else {
			if (full > addr)
				seg[nseg++] = (typeof(seg[0])){ addr, full - addr, 1 };
			seg[nseg++] = (typeof(seg[0])){ full, end - full, 0 };
			if (addr + len > end)
				seg[nseg++] = (typeof(seg[0])){ end, addr + len - end, 1 };
		}
		for (max = 0, k = 0; k < nseg; k++)
			max += (int)((seg[k].len + chunk - 1) / chunk);
		/* Outside the program's heap, as all the executor's own memory in a program's process. */
		fds_len = sizeof(int) * (size_t)(max ? max : 1);
		scaffold_begin();
		fds = (int *)scratch(fds_len);
		scaffold_end();
		if (!fds) {
			fail_in(ENOMEM, "limit", "mmap");
			return;
		}
		for (k = 0; k < nseg; k++) {
			size_t done = 0;

			while (done < seg[k].len) {
				int p[2];
				size_t part = seg[k].len - done < chunk ? seg[k].len - done : chunk;
				struct iovec iov = { .iov_base = (void *)(seg[k].at + done), .iov_len = part };
				const char *call;
				ssize_t put;

				scaffold_begin();
				if (pipe2(p, O_CLOEXEC)) {
					err = errno;
					scaffold_end();
					scaffold_close(fds, n, (uint8_t *)fds, fds_len);
					fail_in(err, cause_of(err), "pipe2");
					return;
				}
				fds[n++] = p[0];
				errno = 0;
				/* Past pipe-user-pages-soft, a user's pipes get EPERM: a limit of the machine's. */
				put = fcntl(p[1], F_SETPIPE_SZ, pipe_max) < 0 ? -1 : 0;
				scaffold_end();
				if (put < 0) {
					call = "F_SETPIPE_SZ";
				} else if (seg[k].copy) {
					put = write(p[1], iov.iov_base, part);
					call = "write";
				} else {
					/* iter_to_pipe: iov_iter_get_pages2, plain references (FOLL_GET) on the program's pages. */
					put = vmsplice(p[1], &iov, 1, 0);
					call = "vmsplice";
				}
				if (put != (ssize_t)part) {
					err = errno ? errno : own_answer ? EFAULT : EIO;
					scaffold_close(&p[1], 1, NULL, 0);
					scaffold_close(fds, n, (uint8_t *)fds, fds_len);
					if (own_answer && !strcmp(call, "vmsplice") && !strcmp(cause_of(err), "analogue"))
						fail(err);
					else
						fail_in(err, !strcmp(call, "F_SETPIPE_SZ") ? "limit" : cause_of(err), call);
					return;
				}
				scaffold_begin();
				if (close(p[1]))
					die("close pipe");
				scaffold_end();
				done += part;
			}
		}
	}
	if (!strcmp(strategy, "steal")) {
		uintptr_t from = (addr + page_size - 1) & ~(uintptr_t)(page_size - 1);
		uintptr_t to = (addr + len) & ~(uintptr_t)(page_size - 1);

		if (to > from && madvise((void *)from, to - from, MADV_DONTNEED)) {
			err = errno;
			scaffold_close(fds, n, (uint8_t *)fds, fds_len);
			fail_in(err, "analogue", "madvise");
			return;
		}
	}
	/*
	 * The Exynos patch, its pages got, sets VM_LOCKED on every VMA the range touches, whole: mlock_part
	 * of each; where one fails, those locked before it are unlocked again and the import fails.
	 */
	if (!strcmp(strategy, "mlock")) {
		const char *call, *undo;

		/* Where a release munlocked pages the patch would have left PG_mlocked, they are so again first. */
		if (nunlocked)
			program_parts(addr, addr + len, 0, relock_part, &call);
		mlock_failed_at = addr;
		err = program_parts(addr, addr + len, 0, mlock_part, &call);
		if (err) {
			if (program_parts(addr, mlock_failed_at, 0, munlock_part, &undo))
				die("munlock after a failed mlock");
			scaffold_close(fds, n, (uint8_t *)fds, fds_len);
			fail_in(-err, "analogue", call);
			return;
		}
	}
	send_reply(fds, n, NULL, 0, "\"ok\":true,\"value\":0,\"kind\":%d,\"len\":%zu,\"pipes\":%d,\"addr\":%lu,\"mlocked\":%d",
		   OBJ_PIPE, len, n, (unsigned long)addr, !strcmp(strategy, "mlock"));
	close_fds(fds, n);
	scratch_free((uint8_t *)fds, fds_len);
}

/*
 * The worker's own memory (its image, libc, ld.so, the vDSO, its stack), as mapped when the
 * image starts: the model's process has none of it, so an access that reaches it is the
 * analogue's, not the program's, to answer. Kept in static memory, outside the program's heap.
 */
static struct { uintptr_t lo, hi; } own[128];
static int nown;

static void own_memory(void)
{
	static char maps[32768];
	size_t have = 0;
	ssize_t n;
	char *at;
	struct rlimit stack;
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die("open /proc/self/maps");
	while (have < sizeof(maps) - 1 && (n = read(fd, maps + have, sizeof(maps) - 1 - have)) > 0)
		have += (size_t)n;
	if (n < 0)
		die("read /proc/self/maps");
	if (close(fd))
		die("close /proc/self/maps");
	maps[have] = 0;
	if (getrlimit(RLIMIT_STACK, &stack))
		die("getrlimit RLIMIT_STACK");
	own[nown].lo = SCRATCH_BASE;
	own[nown++].hi = SCRATCH_BASE + SCRATCH_SPAN;
	for (at = maps; *at && nown < (int)(sizeof(own) / sizeof(own[0])); ) {
		char *end = strchr(at, '\n');
		uintptr_t lo = strtoul(at, &at, 16), hi = strtoul(at + 1, NULL, 16);

		if (end)
			*end = 0;
		/* The heap is the program's; the stack may grow down to its limit. */
		if (!strstr(at, "[heap]")) {
			if (strstr(at, "[stack]"))
				lo -= stack.rlim_cur == RLIM_INFINITY || stack.rlim_cur > lo ? 8u << 20 : stack.rlim_cur;
			own[nown].lo = lo;
			own[nown++].hi = hi;
		}
		at = end ? end + 1 : at + strlen(at);
	}
}

/* Whether [a, a + len) reaches the worker's own memory. */
static int reaches_own(uintptr_t a, uint64_t len)
{
	uintptr_t end = a + len < a ? UINTPTR_MAX : a + (uintptr_t)len;
	int i;

	for (i = 0; i < nown; i++)
		if (a < own[i].hi && end > own[i].lo)
			return 1;
	return 0;
}

/*
 * The pointers this process's malloc handed out and has not taken back: glibc aborts on a free
 * of any other, where the model's allocator answers false. In memory of its own (mmap), outside
 * the heap; a fork copies it with the heap.
 */
static uintptr_t *live;
static size_t nlive, live_cap;
/* The slot of own[] that holds the list, once it is mapped. */
static int live_own = -1;

/* Doubles the list (512 pointers the first time); 0 or -errno. */
static int live_grow(void)
{
	size_t cap = live_cap ? 2 * live_cap : 512;
	void *grown = live ? mremap(live, live_cap * sizeof(*live), cap * sizeof(*live), MREMAP_MAYMOVE)
			   : mmap(NULL, cap * sizeof(*live), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (grown == MAP_FAILED)
		return -errno;
	live = grown;
	live_cap = cap;
	/* The list is the executor's own memory, where the program may map nothing of its own. */
	if (live_own < 0 && nown < (int)(sizeof(own) / sizeof(own[0])))
		live_own = nown++;
	if (live_own >= 0) {
		own[live_own].lo = (uintptr_t)live;
		own[live_own].hi = (uintptr_t)live + cap * sizeof(*live);
	}
	return 0;
}

/* The list is the executor's: its growth (an mremap, the new part's first touch) is scaffolding, as its mapping at start. */
static int live_add(uintptr_t p)
{
	int err;

	scaffold_begin();
	err = nlive == live_cap ? live_grow() : 0;
	if (!err)
		live[nlive++] = p;
	scaffold_end();
	return err;
}

static int live_take(uintptr_t p)
{
	size_t i;

	for (i = 0; i < nlive; i++)
		if (live[i] == p) {
			live[i] = live[--nlive];
			return 1;
		}
	return 0;
}

/* An access or import of memory the model's process does not have: the analogue's failure. */
/* The calls on a range of the program's address space the executor makes as they are asked. */
static int on_a_range(const char *op)
{
	static const char *const ops[] = { "munmap", "mprotect", "madvise", "mlock", "mlock2", "munlock" };
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(op, ops[i]))
			return 1;
	return 0;
}

static int own_memory_check(uintptr_t a, uint64_t len)
{
	if (!reaches_own(a, len))
		return 0;
	fail_in(EFAULT, "analogue", "own memory");
	return 1;
}

static int set_cap(int cap, int on)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -errno;
	if (on)
		d[cap / 32].effective |= 1u << (cap % 32);
	else
		d[cap / 32].effective &= ~(1u << (cap % 32));
	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

/*
 * A router's file, opened again in this process through /proc/ROUTER/fd/N (the router names it so):
 * the executor's means, as scaffolding (the language maps or reads a file, it does not open one; a
 * first lookup of /proc/ROUTER/fd/N takes 15 us).
 */
static int reopen(unsigned long long pid, unsigned long long fd, int flags)
{
	char path[64];
	int f, err;

	snprintf(path, sizeof(path), "/proc/%llu/fd/%llu", pid, fd);
	scaffold_begin();
	f = open(path, flags | O_CLOEXEC);
	err = errno;
	scaffold_end();
	errno = err;
	return f;
}

/* The pagemap entry of the page at addr (fs/proc/task_mmu.c): bit 63 present, bit 62 swapped, bits 0-54 the PFN. */
static int pagemap(uintptr_t addr, uint64_t *entry)
{
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (pread(fd, entry, sizeof(*entry), (off_t)(addr / (uintptr_t)page_size * sizeof(*entry))) != (ssize_t)sizeof(*entry))
		err = errno ? -errno : -EIO;
	if (close(fd))
		die("close pagemap");
	return err;
}

/* The page frame behind addr, 0 where none is present (a swapped-out page has none). */
static int frame_of(uintptr_t addr, uint64_t *pfn)
{
	uint64_t e;
	int err = pagemap(addr, &e);

	*pfn = !err && (e >> 63) ? e & ((1ULL << 55) - 1) : 0;
	return err;
}

/* /proc/kpagecount of the frame behind addr: its mapcount; 0 where no frame is present. */
static int mapcount_of(uintptr_t addr, uint64_t *count)
{
	uint64_t pfn;
	int fd, err = frame_of(addr, &pfn);

	*count = 0;
	if (err || !pfn)
		return err;
	fd = open("/proc/kpagecount", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (pread(fd, count, sizeof(*count), (off_t)(pfn * sizeof(*count))) != (ssize_t)sizeof(*count))
		err = errno ? -errno : -EIO;
	if (close(fd))
		die("close kpagecount");
	return err;
}

/* Whether every page of [addr, addr + len) is swapped out (pagemap's bit 62): 1, 0 or -errno. */
static int all_swapped(uintptr_t addr, size_t len)
{
	uintptr_t a;

	for (a = addr & ~(uintptr_t)(page_size - 1); a < addr + len; a += page_size) {
		uint64_t e;
		int err = pagemap(a, &e);

		if (err)
			return err;
		if (!((e >> 62) & 1))
			return 0;
	}
	return 1;
}

/*
 * The field key ("VmFlags:", "AnonHugePages:") of the VMA holding addr in /proc/self/smaps: its
 * text after the key copied to out (at most len - 1 bytes), and 1; 0 where no VMA holds addr or it
 * has no such field; or -errno. Read without stdio, in static memory.
 */
static int smaps_field(uintptr_t addr, const char *key, char *out, size_t len)
{
	static char buf[65536];
	size_t have = 0, klen = strlen(key);
	ssize_t n;
	int in = 0, found = 0, fd = open("/proc/self/smaps", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	do {
		char *line = buf, *nl;

		n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n < 0) {
			int err = errno;

			close(fd);
			return -err;
		}
		have += (size_t)n;
		buf[have] = 0;
		while ((nl = strchr(line, '\n'))) {
			*nl = 0;
			/* A VMA's first line is its range in lower-case hex; its fields start with a capital. */
			if ((*line >= '0' && *line <= '9') || (*line >= 'a' && *line <= 'f')) {
				char *at;
				uintptr_t lo = strtoul(line, &at, 16), hi = strtoul(at + 1, NULL, 16);

				in = addr >= lo && addr < hi;
			} else if (in && !found && !strncmp(line, key, klen)) {
				snprintf(out, len, "%s", line + klen);
				found = 1;
			}
			line = nl + 1;
		}
		have -= (size_t)(line - buf);
		memmove(buf, line, have);
	} while (n > 0);
	if (close(fd))
		die("close smaps");
	return found;
}

/*
 * Whether the VMA holding addr has the flag smaps' VmFlags line spells as flag ("lo", "wf"): 1,
 * 0 (no such flag, or no VMA there), or -errno.
 */
static int vma_flag(uintptr_t addr, const char *flag)
{
	static char flags[1024];
	char *tok, *save;
	int found = 0, r = smaps_field(addr, "VmFlags:", flags, sizeof(flags));

	if (r <= 0)
		return r;
	for (tok = strtok_r(flags, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		found |= !strcmp(tok, flag);
	return found;
}

/*
 * AnonHugePages of the VMA holding addr in /proc/self/smaps, in bytes (smaps writes kB): 0 where
 * no VMA holds addr; -errno where smaps cannot be read.
 */
static long long anon_huge(uintptr_t addr)
{
	char field[64];
	int r = smaps_field(addr, "AnonHugePages:", field, sizeof(field));

	return r <= 0 ? r : strtoll(field, NULL, 10) * 1024LL;
}

/*
 * MADV_COLD and MADV_PAGEOUT drain only the calling CPU's LRU batch (lru_add_drain), and a page
 * still in another CPU's batch cannot be isolated, so that one call leaves behind the pages last
 * touched elsewhere. The model has no such batches: the advice is given once on each CPU the
 * process may run on, which leaves none behind. The call on the CPU the process is on is the
 * program's, timed, and comes first, as a program's call is made where it runs: one moved to
 * another CPU first took twice the time (MADV_PAGEOUT of 15 MiB filled on CPU 1, on a two-CPU
 * guest: 14.6 to 16.8 ms given on CPU 0 in 16 runs of 16, 6.8 to 7.3 on CPU 1 in 15). The moves
 * between CPUs and the calls on the others are scaffolding: they take what the first left in
 * other CPUs' batches (a batch, at most 31 folios, a CPU), and where there is no swap they
 * isolate every page again (MADV_PAGEOUT of 4 MiB with no swap: 170 ns a page a call), which
 * doubled the time of a pageout that can take nothing. 0 or -errno, with *call naming the failed
 * call.
 */
static int madvise_every_cpu(uintptr_t addr, size_t len, int advice, const char **call)
{
	cpu_set_t allowed, one;
	int here, i, cpu, err = 0;

	*call = "sched_getaffinity";
	if (sched_getaffinity(0, sizeof(allowed), &allowed))
		return -errno;
	*call = "sched_getcpu";
	here = sched_getcpu();
	if (here < 0)
		return -errno;
	for (cpu = 0; !CPU_ISSET(here, &allowed) && cpu < CPU_SETSIZE; cpu++)
		here = cpu; /* moved off this CPU since: the first it may run on */
	/* All scaffolding but the call on this CPU: i == -1 is this CPU, then the others in order. */
	scaffold_begin();
	for (i = -1; i < CPU_SETSIZE && !err; i++) {
		cpu = i < 0 ? here : i;
		if (!CPU_ISSET(cpu, &allowed) || (i >= 0 && cpu == here))
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		*call = "sched_setaffinity";
		if (sched_setaffinity(0, sizeof(one), &one))
			err = -errno;
		*call = NULL;
		if (i < 0)
			scaffold_end();
		if (!err && madvise((void *)addr, len, advice))
			err = -errno;
		if (i < 0)
			scaffold_begin();
	}
	if (sched_setaffinity(0, sizeof(allowed), &allowed))
		die("sched_setaffinity");
	scaffold_end();
	return err;
}

/*
 * Whether the VMA whose /proc/self/maps line goes on at line ("-HI PERMS OFFSET DEV INODE PATH") is
 * swap-backed: anonymous (no inode), or shmem's (tmpfs, a memfd, SysV shared memory).
 */
static int swap_backed(const char *line)
{
	unsigned long inode = 0;
	int path = 0;

	if (sscanf(line, "%*s %*s %*s %*s %lu %n", &inode, &path) < 1 || !inode)
		return 1;
	line += path;
	return !strncmp(line, "/dev/shm/", 9) || !strncmp(line, "/memfd:", 7) || !strncmp(line, "/SYSV", 5);
}

/*
 * Calls fn on each part of a VMA that is the program's, of the VMAs meeting [from, to), in address
 * order, from /proc/self/maps: a VMA of the program's may have merged with one of the worker's own
 * (anonymous, adjacent, alike), and only its part outside the worker's memory is the program's
 * (see own_memory). With file_only, only the VMAs of files that are not shmem's: the pages no swap
 * is needed to reclaim. Stops at fn's first error. 0, or -errno with *call naming the call.
 * Reading and parsing the maps is scaffolding: a driver finds the VMAs with find_vma, and the
 * text of /proc/self/maps costs more than the mlock it serves.
 */
static int program_parts(uintptr_t from, uintptr_t to, int file_only, part_fn fn, const char **call)
{
	static char maps[65536];
	static struct { uintptr_t lo, hi; } parts[4096];
	size_t have = 0;
	ssize_t n;
	char *at;
	int nparts = 0, k, fd;

	scaffold_begin();
	fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	*call = "open /proc/self/maps";
	if (fd < 0) {
		scaffold_end();
		return -errno;
	}
	*call = "read /proc/self/maps";
	while (have < sizeof(maps) - 1 && (n = read(fd, maps + have, sizeof(maps) - 1 - have)) > 0)
		have += (size_t)n;
	if (n < 0) {
		int err = -errno;

		if (close(fd))
			die("close /proc/self/maps");
		scaffold_end();
		return err;
	}
	if (close(fd))
		die("close /proc/self/maps");
	maps[have] = 0;
	for (at = maps; *at; ) {
		char *end = strchr(at, '\n');
		uintptr_t lo = strtoul(at, &at, 16), hi = strtoul(at + 1, NULL, 16);

		if (hi <= from || lo >= to || (file_only && swap_backed(at)))
			lo = hi;
		while (lo < hi) {
			uintptr_t next = hi;
			int i;

			for (i = 0; i < nown; i++) {
				if (lo >= own[i].lo && lo < own[i].hi)
					next = lo;
				if (own[i].lo > lo && own[i].lo < next)
					next = own[i].lo;
			}
			if (next == lo) {
				for (i = 0; i < nown; i++)
					if (lo >= own[i].lo && lo < own[i].hi)
						lo = own[i].hi;
				continue;
			}
			if (nparts == (int)(sizeof(parts) / sizeof(parts[0]))) {
				errno = E2BIG;
				die("the program's VMAs in more than 4096 parts");
			}
			parts[nparts].lo = lo;
			parts[nparts++].hi = next;
			lo = next;
		}
		at = end ? end + 1 : at + strlen(at);
	}
	scaffold_end();
	for (k = 0; k < nparts; k++) {
		int err = fn(parts[k].lo, parts[k].hi, call);

		if (err)
			return err;
	}
	*call = NULL;
	return 0;
}

/* MADV_PAGEOUT of a part on every CPU; a part the advice refuses (locked, PFN-mapped) keeps its pages. */
static int pageout_part(uintptr_t lo, uintptr_t hi, const char **call)
{
	int err = madvise_every_cpu(lo, hi - lo, MADV_PAGEOUT, call);

	return err && *call ? err : 0;
}

/*
 * Reclaim of every page it can take from this process: MADV_PAGEOUT of each of the program's
 * VMAs (not the executor's own, see own_memory), on every CPU. A VMA the advice refuses (locked,
 * PFN-mapped) keeps its pages, as reclaim leaves them. With no swap on, only the VMAs of files
 * that are not shmem's: the kernel's reclaim then scans no swap-backed LRU list (get_scan_count's
 * SCAN_FILE), where MADV_PAGEOUT would isolate each such page and put it back. 0, or -errno with
 * *call naming the call.
 */
static int reclaim(const char **call)
{
	int file_only;

	scaffold_begin();
	file_only = !swap_active();
	scaffold_end();
	return program_parts(0, UINTPTR_MAX, file_only, pageout_part, call);
}

/*
 * The Exynos patch sets VM_LOCKED on the VMA and faults nothing in: mlock2(MLOCK_ONFAULT), which
 * sets VM_LOCKED | VM_LOCKONFAULT without populating, where mlock(2) would fault in the whole VMA.
 */
static int mlock_part(uintptr_t lo, uintptr_t hi, const char **call)
{
	*call = "mlock2";
	if (!syscall(SYS_mlock2, (void *)lo, hi - lo, MLOCK_ONFAULT))
		return 0;
	mlock_failed_at = lo;
	return -errno;
}

static int munlock_part(uintptr_t lo, uintptr_t hi, const char **call)
{
	*call = "munlock";
	return munlock((void *)lo, hi - lo) ? -errno : 0;
}

/* The mlock analogue's release of one part: munlock(2), and the part remembered (see unlocked). */
static int unlock_part(uintptr_t lo, uintptr_t hi, const char **call)
{
	int err = munlock_part(lo, hi, call);

	if (!err && nunlocked < (int)(sizeof(unlocked) / sizeof(unlocked[0]))) {
		unlocked[nunlocked].lo = lo;
		unlocked[nunlocked++].hi = hi;
	}
	return err;
}

/*
 * Before an import's mlock2 of a VMA part, the pages of it a release munlocked are locked again, as
 * scaffolding: the analogue's own undoing of its release, so that the import's time is the patch's.
 * The parts locked so are forgotten; a failure leaves the import's mlock2 to lock them, timed.
 */
static int relock_part(uintptr_t lo, uintptr_t hi, const char **call)
{
	int i = 0;

	(void)call;
	while (i < nunlocked) {
		uintptr_t x = unlocked[i].lo > lo ? unlocked[i].lo : lo;
		uintptr_t y = unlocked[i].hi < hi ? unlocked[i].hi : hi;
		int ok;

		if (x >= y) {
			i++;
			continue;
		}
		scaffold_begin();
		ok = !syscall(SYS_mlock2, (void *)x, y - x, MLOCK_ONFAULT);
		scaffold_end();
		if (!ok) {
			i++;
			continue;
		}
		/* What is left of the remembered part on either side of [x, y) stays remembered. */
		if (unlocked[i].lo < x && y < unlocked[i].hi && nunlocked < (int)(sizeof(unlocked) / sizeof(unlocked[0]))) {
			unlocked[nunlocked].lo = y;
			unlocked[nunlocked++].hi = unlocked[i].hi;
			unlocked[i].hi = x;
		} else if (unlocked[i].lo < x) {
			unlocked[i].hi = x;
		} else if (y < unlocked[i].hi) {
			unlocked[i].lo = y;
		} else {
			unlocked[i] = unlocked[--nunlocked];
			continue;
		}
		i++;
	}
	return 0;
}

/* gup_test's long-term pin of the range (PIN_LONGTERM_TEST_START); its file goes to the router, which holds the pin. */
/*
 * Whether a read fault of anonymous memory maps the shared zeropage here (do_anonymous_page), as the
 * model's does: two pages read, then their frames in pagemap compared. 1, 0, or -errno.
 */
static long long zeropage_shared(void)
{
	long page = sysconf(_SC_PAGESIZE);
	volatile uint8_t *m = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t e[2];
	long long ret = 0;
	int fd, i;

	if (m == MAP_FAILED)
		return -errno;
	(void)m[0];
	(void)m[page];
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0) {
		ret = -errno;
	} else {
		for (i = 0; i < 2 && !ret; i++)
			if (pread(fd, &e[i], 8, (off_t)(((uintptr_t)m + i * page) / page * 8)) != 8)
				ret = -errno;
		if (close(fd) && !ret)
			ret = -errno;
		/* Bit 63: present; bits 0-54: the frame (0 where this process may not see frames). */
		if (!ret)
			ret = (e[0] >> 63) && (e[1] >> 63) && (e[0] & ((1ULL << 55) - 1)) != 0
			      && (e[0] & ((1ULL << 55) - 1)) == (e[1] & ((1ULL << 55) - 1));
	}
	if (munmap((void *)m, 2 * page) && !ret)
		ret = -errno;
	return ret;
}

/* Writes the number v to a /proc file (clear_refs, compact_memory): 0, or -errno of the open, write or close. */
static int write_proc(const char *path, unsigned long long v)
{
	char buf[24];
	int fd, n, err = 0;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%llu", v);
	if (write(fd, buf, (size_t)n) != n)
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

static void gup_pin(uintptr_t addr, size_t len, uint32_t flags)
{
	struct pin_longterm_test t = { .addr = addr, .size = len, .flags = flags };
	int one[1], fd;

	/* gup_longterm.c opens the file once, before its tests: the open is the harness's, not the pin's. */
	scaffold_begin();
	fd = open(GUP_TEST_FILE, O_RDWR | O_CLOEXEC);
	scaffold_end();
	if (fd < 0) {
		fail_in(errno, "analogue", "open " GUP_TEST_FILE);
		return;
	}
	one[0] = fd;
	if (ioctl(fd, PIN_LONGTERM_TEST_START, &t)) {
		int err = errno;

		scaffold_close(one, 1, NULL, 0);
		fail(err);
		return;
	}
	send_reply(one, 1, NULL, 0, "\"ok\":true,\"value\":0,\"kind\":%d,\"len\":%zu", OBJ_GUP, len);
	close_fds(one, 1);
}

/* One command of the program's process; the reply is sent before it returns. */
static void run(char *line)
{
	char op[32], word[32];
	unsigned long long a = 0, b = 0, c = 0, d = 0, e = 0;
	int sig, nargs;

	if ((nargs = sscanf(line, "%31s %llu %llu %llu %llu %llu", op, &a, &b, &c, &d, &e)) < 1) {
		fail(EINVAL);
		return;
	}
	sig = sigsetjmp(fault_jmp, 1);
	if (sig) {
		faulting = 0;
		send_reply(NULL, 0, NULL, 0, "\"ok\":false,\"signal\":%d", sig);
		return;
	}
	/* The command's time starts here: reading its words and saving the signal mask are the executor's. */
	started = now_ns();
	looking = is_look(op);
#define RET(expr) do { if ((expr) < 0) fail(errno); else ok(0); } while (0)
	if (!strcmp(op, "malloc") || !strcmp(op, "memalign")) {
		void *p = NULL;
		int err = !strcmp(op, "malloc") ? ((p = malloc(a)) ? 0 : ENOMEM) : posix_memalign(&p, a, b);

		if (err) {
			fail(err);
		} else if ((err = live_add((uintptr_t)p))) {
			free(p);
			fail_in(-err, "limit", "mmap");
		} else {
			ok((long long)(uintptr_t)p);
		}
	} else if (!strcmp(op, "free")) {
		if (a && !live_take((uintptr_t)a)) {
			fail_in(EINVAL, "analogue", "free");
			return;
		}
		free((void *)(uintptr_t)a);
		ok(0);
	} else if (!strcmp(op, "mmap")) {
		void *p = mmap(NULL, a, (int)b, (int)c, -1, 0);

		p == MAP_FAILED ? fail(errno) : ok((long long)(uintptr_t)p);
	} else if (!strcmp(op, "sbrk")) {
		void *old = sbrk((intptr_t)a);

		old == (void *)-1 ? fail(errno) : ok((long long)(uintptr_t)old);
	} else if (on_a_range(op) && own_memory_check(a, b)) {
		/* The range reaches past the program's own memory into the executor's, which the model's process has not. */
		return;
	} else if (!strcmp(op, "munmap")) {
		RET(munmap((void *)(uintptr_t)a, b));
	} else if (!strcmp(op, "mprotect")) {
		RET(mprotect((void *)(uintptr_t)a, b, (int)c));
	} else if (!strcmp(op, "madvise") && (c == MADV_COLD || c == MADV_PAGEOUT)) {
		const char *call;
		int err = madvise_every_cpu(a, b, (int)c, &call);

		if (!err)
			ok(0);
		else if (call)
			fail_in(-err, "analogue", call);
		else
			fail(-err);
	} else if (!strcmp(op, "madvise")) {
		RET(madvise((void *)(uintptr_t)a, b, (int)c));
	} else if (!strcmp(op, "mlock")) {
		RET(mlock((void *)(uintptr_t)a, b));
	} else if (!strcmp(op, "mlock2")) {
		RET(syscall(SYS_mlock2, (void *)(uintptr_t)a, b, (int)c));
	} else if (!strcmp(op, "munlock")) {
		RET(munlock((void *)(uintptr_t)a, b));
	} else if (!strcmp(op, "mlockall")) {
		RET(mlockall((int)a));
	} else if (!strcmp(op, "unlock_vmas")) {
		/* The mlock analogue's close: munlock(2) of every VMA of the program's that [a, a + b) touches. */
		const char *call;
		int err = program_parts((uintptr_t)a, (uintptr_t)(a + b), 0, unlock_part, &call);

		if (err)
			fail(-err);
		else
			ok(0);
	} else if (!strcmp(op, "munlockall")) {
		RET(munlockall());
	} else if (!strcmp(op, "setrlimit_memlock")) {
		/* "setrlimit_memlock SOFT [HARD]": the hard limit is the soft one where not given. */
		struct rlimit r = { .rlim_cur = a, .rlim_max = nargs > 2 ? b : a };

		RET(setrlimit(RLIMIT_MEMLOCK, &r));
	} else if (!strcmp(op, "capability")) {
		int err = set_cap((int)a, (int)b);

		err ? fail(-err) : ok(0);
	} else if (!strcmp(op, "fill")) {
		if (own_memory_check(a, b))
			return;
		faulting = 1;
		pattern_fill((volatile uint8_t *)(uintptr_t)a, b, c, 0);
		faulting = 0;
		ok(0);
	} else if (!strcmp(op, "store")) {
		if (own_memory_check(a, 1))
			return;
		faulting = 1;
		*(volatile uint8_t *)(uintptr_t)a = (uint8_t)b;
		faulting = 0;
		ok(0);
	} else if (!strcmp(op, "memcpy")) {
		if (own_memory_check(a, c) || own_memory_check(b, c))
			return;
		faulting = 1;
		memmove((void *)(uintptr_t)a, (void *)(uintptr_t)b, c);
		faulting = 0;
		ok(0);
	} else if (!strcmp(op, "sees")) {
		int same;

		if (own_memory_check(a, b))
			return;
		faulting = 1;
		same = pattern_matches((volatile uint8_t *)(uintptr_t)a, b, c, d);
		faulting = 0;
		ok(same);
	} else if (!strcmp(op, "readable")) {
		if (own_memory_check(a, 1))
			return;
		faulting = 1;
		(void)*(volatile uint8_t *)(uintptr_t)a;
		faulting = 0;
		ok(1);
	} else if (!strcmp(op, "fragment")) {
		uintptr_t base = a & ~(uintptr_t)(page_size - 1);
		unsigned long long off;

		for (off = 2 * page_size; off + 2 * page_size < b; off += 2 * page_size)
			if (madvise((void *)(base + off), page_size, MADV_DONTNEED)) {
				fail(errno);
				return;
			}
		ok(0);
	} else if (!strcmp(op, "mmap_at")) {
		void *p;

		/* A fixed mapping over the executor's own memory would replace it (or find it there). */
		if (own_memory_check(a, b))
			return;
		p = mmap((void *)(uintptr_t)a, b, (int)c, (int)d, -1, 0);
		p == MAP_FAILED ? fail(errno) : ok((long long)(uintptr_t)p);
	} else if (!strcmp(op, "mremap")) {
		/* "mremap ADDR OLD NEW FLAGS [DST]": DST for MREMAP_FIXED or MREMAP_DONTUNMAP. */
		void *p;
		int displaced;

		/* Growing in place (no MREMAP_MAYMOVE) meets what lies after the mapping; a destination is replaced. */
		if ((c > b && !(d & MREMAP_MAYMOVE) && own_memory_check(a + b, c - b)) || (nargs > 5 && own_memory_check(e, c)))
			return;
		/* Where MREMAP_MAYMOVE moves it for want of room the executor's own memory takes, the model's process grows it in place. */
		displaced = nargs <= 5 && c > b && (d & MREMAP_MAYMOVE) && reaches_own(a + b, c - b);
		p = nargs > 5 ? mremap((void *)(uintptr_t)a, b, c, (int)d, (void *)(uintptr_t)e)
			      : mremap((void *)(uintptr_t)a, b, c, (int)d);
		if (p == MAP_FAILED)
			fail(errno);
		else if (displaced && (uintptr_t)p != a)
			ok_displaced((long long)(uintptr_t)p);
		else
			ok((long long)(uintptr_t)p);
	} else if (!strcmp(op, "mmap_file")) {
		/* "mmap_file PID FD SIZE PROT FLAGS": the router's file, from its start; its open and close are scaffolding. */
		int one[1] = { reopen(a, b, O_RDWR) };
		void *p;

		if (one[0] < 0) {
			fail_in(errno, cause_of(errno), "open /proc/PID/fd");
			return;
		}
		p = mmap(NULL, c, (int)d, (int)e, one[0], 0);
		if (p == MAP_FAILED) {
			int err = errno;

			scaffold_close(one, 1, NULL, 0);
			fail(err);
			return;
		}
		scaffold_close(one, 1, NULL, 0);
		ok((long long)(uintptr_t)p);
	} else if (!strcmp(op, "read_direct")) {
		/* "read_direct PID FD ADDR SIZE": read(2) of the file opened O_DIRECT, from its start; the bytes read. */
		int fd, err = 0;
		ssize_t n;

		if (own_memory_check(c, d))
			return;
		fd = reopen(a, b, O_RDONLY | O_DIRECT);
		if (fd < 0) {
			/* A file system without O_DIRECT answers EINVAL at open: the operation's own answer. */
			fail(errno);
			return;
		}
		n = read(fd, (void *)(uintptr_t)c, d);
		if (n < 0)
			err = errno;
		scaffold_close(&fd, 1, NULL, 0);
		err ? fail(err) : ok(n);
	} else if (!strcmp(op, "zero")) {
		volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)a;
		unsigned long long i;
		int z = 1;

		if (own_memory_check(a, b))
			return;
		faulting = 1;
		for (i = 0; i < b && z; i++)
			z = !p[i];
		faulting = 0;
		ok(z);
	} else if (!strcmp(op, "swapped")) {
		int r = all_swapped(a, b);

		r < 0 ? fail_in(-r, "analogue", "read /proc/self/pagemap") : ok(r);
	} else if (!strcmp(op, "populated")) {
		uint64_t entry;
		int err = pagemap(a, &entry);

		err ? fail_in(-err, "analogue", "read /proc/self/pagemap") : ok((entry >> 62) & 3 ? 1 : 0);
	} else if (!strcmp(op, "frame") || !strcmp(op, "mapcount")) {
		uint64_t v;
		int err = !strcmp(op, "frame") ? frame_of(a, &v) : mapcount_of(a, &v);

		err ? fail_in(-err, "analogue", op[0] == 'f' ? "read /proc/self/pagemap" : "read /proc/kpagecount") : ok((long long)v);
	} else if (!strcmp(op, "vm")) {
		/* "vm KEY": VmRSS (0), VmLck (1) or VmPin (2) of /proc/self/status, in bytes. */
		static const char *const keys[] = { "VmRSS", "VmLck", "VmPin" };

		a < 3 ? ok(status_kb(keys[a]) * 1024LL) : fail(EINVAL);
	} else if (!strcmp(op, "vma_flag")) {
		int r;

		if (sscanf(line, "%*s %llu %31s", &a, word) != 2) {
			fail(EINVAL);
			return;
		}
		r = vma_flag(a, word);
		r < 0 ? fail_in(-r, "analogue", "read /proc/self/smaps") : ok(r);
	} else if (!strcmp(op, "anon_huge")) {
		long long r = anon_huge(a);

		r < 0 ? fail_in((int)-r, "analogue", "read /proc/self/smaps") : ok(r);
	} else if (!strcmp(op, "reclaim")) {
		const char *call;
		int err = reclaim(&call);

		err ? fail_in(-err, "analogue", call) : ok(0);
	} else if (!strcmp(op, "vmsplice")) {
		/* cow.c's vmsplice: the range into pipes with no write fault first; a failure is vmsplice's own answer. */
		if (!own_memory_check(a, b))
			userptr("pin", a, b, 1, 1);
	} else if (!strcmp(op, "gup_pin")) {
		if (!own_memory_check(a, b))
			gup_pin(a, b, (uint32_t)c);
	} else if (!strcmp(op, "iouring_setup")) {
		struct io_uring_params prm;
		int fd;

		memset(&prm, 0, sizeof(prm));
		fd = sys_io_uring_setup(1, &prm);
		if (fd < 0)
			fail(errno);
		else if (close(fd))
			fail_in(errno, "analogue", "close");
		else
			ok(0);
	} else if (!strcmp(op, "clear_refs")) {
		int err = write_proc("/proc/self/clear_refs", a);

		err ? fail(-err) : ok(0);
	} else if (!strcmp(op, "userptr")) {
		/* "userptr STRATEGY ADDR SIZE [READ_ONLY]" */
		c = 0;
		if (sscanf(line, "%*s %31s %llu %llu %llu", word, &a, &b, &c) < 3)
			fail(EINVAL);
		else if (!own_memory_check(a, b))
			userptr(word, a, b, c != 0, 0);
	} else if (!strcmp(op, "closefd")) {
		RET(close((int)a));
	} else if (!strcmp(op, "status")) {
		ok(0);
	} else {
		fail(ENOSYS);
	}
#undef RET
}

/* Serves commands on chan until exit; fork, exec and exit are done here for real. */
static void worker(void)
{
	char line[LINE];
	size_t have = 0;

	/* A worker's own children are workers too; they are reaped by the kernel, not waited for. */
	signal(SIGCHLD, SIG_IGN);
	signal(SIGSEGV, on_fault);
	signal(SIGBUS, on_fault);
	own_memory();
	/*
	 * The list of malloc's pointers mapped and its first page touched before the program's first
	 * command, whose step would time them (a first malloc took 15 to 25 us, 5 to 8 of them the list's).
	 */
	if (!live) {
		if (live_grow())
			die("mmap malloc list");
		live[0] = 0;
	}
	/* A new image says it is ready: a command sent before would be read by the old one and lost. */
	ok(getpid());
	for (;;) {
		char *nl;
		ssize_t n = read(chan, line + have, sizeof(line) - 1 - have);

		if (n <= 0)
			exit(n == 0 ? 0 : 2);
		have += (size_t)n;
		line[have] = 0;
		while ((nl = strchr(line, '\n'))) {
			*nl = 0;
			started = now_ns();
			scaffold = 0;
			looking = 0;
			if (!strcmp(line, "exit")) {
				_exit(0);
			} else if (!strcmp(line, "exec")) {
				char fd[16], *argv[] = { "upl-exec", "--worker", fd, NULL };

				snprintf(fd, sizeof(fd), "%d", chan);
				if (fcntl(chan, F_SETFD, 0))
					die("fcntl F_SETFD");
				execv("/proc/self/exe", argv);
				fail(errno);
			} else if (!strcmp(line, "fork")) {
				int sv[2];
				pid_t pid;

				if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
					fail_in(errno, "limit", "socketpair");
					goto next;
				}
				pid = fork();
				if (pid < 0) {
					/* The model's fork does not fail: EAGAIN here is this machine's RLIMIT_NPROC or pid_max. */
					int err = errno;

					if (close(sv[0]) || close(sv[1]))
						die("close socketpair");
					fail_in(err, "limit", "fork");
				} else if (pid == 0) {
					close(chan);
					close(sv[0]);
					chan = sv[1];
				} else {
					/* The parent hands the child's socket to the router, with its reply. */
					close(sv[1]);
					send_reply(&sv[0], 1, NULL, 0, "\"ok\":true,\"value\":%d", pid);
					close(sv[0]);
				}
			} else {
				run(line);
			}
next:
			have -= (size_t)(nl + 1 - line);
			memmove(line, nl + 1, have + 1);
		}
	}
}

/* ---- calibrate: the primitives the cost model prices, timed on this kernel --------------- */

#define SAMPLES 15
#define CAL_PAGES 1024

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One line per figure: name, median, 10th and 90th percentile, samples. */
static void report(const char *name, double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	printf("%s %.3f %.3f %.3f %d\n", name, v[n / 2], v[n / 10], v[n - 1 - n / 10], n);
}

/*
 * The pages a figure is measured on are new to the calibration, as a new process's are to it: on
 * a virtual machine, memory the guest has not used lately is slower to reach over its first few
 * passes (1,024 pages written as they fault in, then checked: 2.5 to 3 bytes a ns, against 6 on
 * pages just freed and taken again), so a sample that reused the pages of the one before would
 * price a program's memory at the speed of memory it has never had. Each such sample's mapping,
 * and the file its object's pages are in, is kept until the calibration ends (keep, keep_file,
 * release_kept): 600 MiB in all.
 */
#define KEPT (14 * SAMPLES)
static struct {
	void *p;
	size_t len;
	int fd;
} kept[KEPT];
static int nkept;

static void keep_at(void *p, size_t len, int fd)
{
	if (nkept == KEPT) {
		fprintf(stderr, "upl-exec: calibrate: more than %d mappings and files kept\n", KEPT);
		exit(2);
	}
	/* Out of the forks the calibration times, which would copy their page tables too. */
	if (p && madvise(p, len, MADV_DONTFORK))
		die("madvise MADV_DONTFORK");
	kept[nkept].p = p;
	kept[nkept].len = len;
	kept[nkept++].fd = fd;
}

static void keep(void *p, size_t len)
{
	keep_at(p, len, -1);
}

static void keep_file(int fd)
{
	keep_at(NULL, 0, fd);
}

static void release_kept(void)
{
	while (nkept > 0) {
		nkept--;
		if (kept[nkept].p && munmap(kept[nkept].p, kept[nkept].len))
			die("munmap kept");
		if (kept[nkept].fd >= 0 && close(kept[nkept].fd))
			die("close kept");
	}
}

/* A field of /proc/meminfo ("MemAvailable", "Writeback") in kB; -1 where it does not say. */
static long meminfo_kb(const char *key)
{
	char line[256];
	size_t n = strlen(key);
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		die("open /proc/meminfo");
	while (kb < 0 && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			kb = strtol(line + n + 1, NULL, 10);
	if (fclose(f))
		die("close /proc/meminfo");
	return kb;
}

/*
 * Until no page is under writeback (/proc/meminfo's Writeback), a second at most: MADV_PAGEOUT only starts its
 * pages' writes (pageout, swap_writepage), which end a few milliseconds later. Polled, so that the CPU does not go
 * idle meanwhile, as it does not between a program's steps.
 */
static void wait_writeback(void)
{
	double until = now_ns() + 1e9;

	while (meminfo_kb("Writeback") > 0 && now_ns() < until)
		;
}

/*
 * The size of the CPU's own cache, its level-2 cache (sysfs cache index2), in bytes: 512 KiB where
 * sysfs does not say, as the guest profile has it. The lab reads the same file for CPU_CACHE_BYTES.
 */
static size_t own_cache_bytes(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/cpu0/cache/index2/size", "re");
	unsigned long n = 0;
	char unit = 0;
	int got;

	if (!f)
		return 512 << 10;
	got = fscanf(f, "%lu%c", &n, &unit);
	if (fclose(f))
		die("close /sys/devices/system/cpu/cpu0/cache/index2/size");
	if (got < 1 || !n)
		return 512 << 10;
	return got == 2 && unit == 'M' ? n << 20 : got == 2 && unit == 'K' ? n << 10 : n;
}

static uint8_t *anon(size_t len, int touch)
{
	uint8_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t i;

	if (p == MAP_FAILED)
		die("mmap");
	for (i = 0; touch && i < len; i += (size_t)page_size)
		p[i] = 1;
	return p;
}

/*
 * len bytes written a page at a time and unmapped again, so that the frames the calibration takes
 * next are ones the host backs, as a program's run takes frames the runs before it freed a moment
 * ago. A hypervisor that takes back a guest's free memory (free page reporting: page_reporting_process
 * hands free blocks to virtio-balloon) makes a frame left free for seconds cost a fault in the host
 * at its next touch: MAP_POPULATE of 256 MiB took 1.1 us a page straight after the frames were
 * freed, 2.0 three seconds later and 4.6 forty seconds later. That is the host's cost, and how much
 * of it a calibration meets depends on what the machine did before it (a build frees gigabytes).
 */
static void host_backed(size_t len)
{
	volatile uint8_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t i;

	if (p == MAP_FAILED)
		die("mmap");
	for (i = 0; i < len; i += (size_t)page_size)
		p[i] = 1;
	if (munmap((void *)p, len))
		die("munmap");
}

static volatile int spin_stop;

static void *spin(void *arg)
{
	volatile uint8_t *p = arg;

	/* A second thread of the process, on another CPU, keeps the mm live in that CPU's TLB. */
	while (!spin_stop)
		(void)*p;
	return NULL;
}

static void pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

/*
 * This process on one CPU, the last it may run on: the router, so that every process it starts runs
 * there too (they inherit it), and the calibration, which times the primitives where the programs
 * run them (each CPU has its own lists of free pages, rmqueue_pcplist's). The router stands in for
 * the device: its GPU reads copy a program's bytes out of the pages, where a device's DMA reads
 * memory, or snoops the CPU's caches, and leaves the lines where they were. Run on another CPU, the
 * stand-in's copy pulled the program's bytes into that CPU's cache, and the program's next access to
 * them missed its own: replaying texture-upload-loop's commands under mlock, the check of its 1 MiB
 * after a GPU read took 233 to 295 us with the router on the other CPU of two (always so with the
 * lab's pauses between commands), 142 to 146 with both on one.
 */
static void one_cpu(void)
{
	cpu_set_t allowed;
	int cpu;

	if (sched_getaffinity(0, sizeof(allowed), &allowed))
		die("sched_getaffinity");
	for (cpu = CPU_SETSIZE - 1; cpu > 0 && !CPU_ISSET(cpu, &allowed); cpu--)
		;
	pin_to(cpu);
}

/* len bytes mapped with MAP_POPULATE, and in *ns the mmap's time per page of CAL_PAGES. */
static uint8_t *populated(size_t len, double *ns)
{
	double t = now_ns();
	uint8_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	*ns = (now_ns() - t) / CAL_PAGES;
	if (p == MAP_FAILED)
		die("mmap MAP_POPULATE");
	return p;
}

/* A read or a write of each page of [p, p + len), in ns: the faults they take. */
static double touch_ns(uint8_t *p, size_t len, int write)
{
	volatile uint8_t *v = p;
	double t = now_ns();
	size_t i;

	for (i = 0; i < len; i += (size_t)page_size) {
		if (write)
			v[i] = 1;
		else
			(void)v[i];
	}
	return now_ns() - t;
}

/*
 * A seed's stream written over len bytes of pages new to the calibration as they fault in, then
 * checked, as a program fills a buffer and reads it back: the check's bytes per ns.
 */
static double fill_then_check_bps(size_t len, uint64_t seed)
{
	uint8_t *p = anon(len, 0);
	double t;

	pattern_fill(p, len, seed, 0);
	t = now_ns();
	if (!pattern_matches(p, len, seed, 0)) {
		fprintf(stderr, "upl-exec: calibrate: the stream just written does not read back\n");
		exit(2);
	}
	t = now_ns() - t;
	keep(p, len);
	return len / t;
}

/* A fork whose child exits at once, in ns as the parent pays it (the wait is not counted). */
static double fork_ns(void)
{
	double t = now_ns(), ns;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (!pid)
		_exit(0);
	ns = now_ns() - t;
	if (waitpid(pid, NULL, 0) < 0)
		die("waitpid");
	return ns;
}

/* munmap, MADV_DONTNEED or mprotect(PROT_READ) of len touched bytes, per page, SAMPLES times. */
static void range_op(const char *name, size_t len)
{
	double v[SAMPLES];
	int k;

	for (k = 0; k < SAMPLES; k++) {
		uint8_t *p = anon(len, 1);
		double t = now_ns();
		int r = !strcmp(name, "munmap") ? munmap(p, len)
			: !strcmp(name, "dontneed") ? madvise(p, len, MADV_DONTNEED) : mprotect(p, len, PROT_READ);

		v[k] = (now_ns() - t) / (double)(len / (size_t)page_size);
		if (r)
			die(name);
		if (strcmp(name, "munmap") && munmap(p, len))
			die("munmap");
	}
	report(name, v, SAMPLES);
}

/* Per-page ns of each primitive over CAL_PAGES pages, and the bandwidths, SAMPLES times each. */
static int calibrate(void)
{
	size_t len = (size_t)CAL_PAGES * (size_t)page_size, cache_half = own_cache_bytes() / 2, i;
	double v[SAMPLES], bare[SAMPLES], again[SAMPLES], t;
	long kb = meminfo_kb("MemAvailable");
	int k, null;

	/* What keep holds, with room for the rest: a calibration pushed into reclaim would time reclaim. */
	if (kb >= 0 && kb < 1024 * 1024) {
		fprintf(stderr, "upl-exec: calibrate: %ld MiB of memory available, and the calibration holds up to 600 MiB of "
			"memory new to it while it runs: free some (MemAvailable in /proc/meminfo) and try again\n", kb / 1024);
		return 2;
	}
	/* On the CPU the program's processes run on (one_cpu); the shootdown below moves to the CPUs it needs. */
	one_cpu();
	for (k = 0; k < SAMPLES; k++) {
		uint8_t *p = anon(len, 0);

		v[k] = touch_ns(p, len, 0) / CAL_PAGES;
		munmap(p, len);
	}
	report("read_fault", v, SAMPLES);
	for (k = 0; k < SAMPLES; k++) {
		uint8_t *p = anon(len, 1);
		double big = fork_ns();

		/*
		 * fork with the range, less fork without it: copy_pte_range per page; and the fork
		 * without, this process's image, before any mapping is kept (dup_mmap walks past those).
		 */
		munmap(p, len);
		bare[k] = fork_ns();
		v[k] = (big - bare[k]) / CAL_PAGES;
	}
	report("fork_per_page", v, SAMPLES);
	report("fork", bare, SAMPLES);
	/*
	 * Each primitive timed on memory new to the calibration takes frames the host backs, as a
	 * program's run does (host_backed): its figure does not move with how long the machine's free
	 * frames have lain free.
	 */
	host_backed((size_t)SAMPLES * len);
	for (k = 0; k < SAMPLES; k++) {
		uint8_t *p = anon(len, 0);

		v[k] = touch_ns(p, len, 1) / CAL_PAGES;
		keep(p, len);
	}
	report("write_fault", v, SAMPLES);
	/*
	 * The pages of a write fault without the fault: MAP_POPULATE allocates, clears and maps them.
	 * Then a write to each page, and a second: populate leaves each PTE old (x86's faults set no
	 * accessed bit), and the CPU's first access sets it in its page walk (a VM exit in a guest with
	 * shadow page tables), which the second finds done.
	 */
	host_backed((size_t)SAMPLES * len);
	for (k = 0; k < SAMPLES; k++) {
		uint8_t *p = populated(len, &v[k]);

		bare[k] = touch_ns(p, len, 1) / CAL_PAGES;
		again[k] = touch_ns(p, len, 1) / CAL_PAGES;
		keep(p, len);
	}
	report("populate", v, SAMPLES);
	report("touch_populated", bare, SAMPLES);
	report("touch_again", again, SAMPLES);
	/*
	 * The same populate over the frames just freed: rmqueue_pcplist hands back the page freed last
	 * first, from this CPU's list, its struct page and bytes in the caches and, in a guest, the frame
	 * still backed by the host, as a run's pages freed and taken again are on the executor's one CPU.
	 */
	for (k = 0; k < SAMPLES; k++) {
		uint8_t *p = anon(len, 1);

		if (munmap(p, len))
			die("munmap");
		if (munmap(populated(len, &v[k]), len))
			die("munmap");
	}
	report("populate_warm", v, SAMPLES);
	range_op("munmap", len);
	range_op("dontneed", len);
	range_op("mprotect", len);
	/* The pages, and their copies as the parent writes them. */
	host_backed((size_t)2 * SAMPLES * len);
	for (k = 0; k < SAMPLES; k++) {
		uint8_t *p = anon(len, 1);
		int go[2];
		char c = 0;
		pid_t pid;

		if (pipe(go))
			die("pipe");
		pid = fork();
		if (pid < 0)
			die("fork");
		if (!pid) {
			/* The child keeps the pages shared until the parent has written them all. */
			if (read(go[0], &c, 1) < 0)
				_exit(1);
			_exit(0);
		}
		t = now_ns();
		for (i = 0; i < len; i += (size_t)page_size)
			p[i] = 2;
		v[k] = (now_ns() - t) / CAL_PAGES;
		if (write(go[1], &c, 1) != 1 || waitpid(pid, NULL, 0) < 0)
			die("cow child");
		close(go[0]);
		close(go[1]);
		keep(p, len);
	}
	report("cow_break", v, SAMPLES);
	for (k = 0; k < SAMPLES; k++) {
		uint8_t *p = anon(len, 1);
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (!pid)
			_exit(0);
		if (waitpid(pid, NULL, 0) < 0)
			die("waitpid");
		/* The child is gone: each write-protected page is the parent's alone, and is reused. */
		t = now_ns();
		for (i = 0; i < len; i += (size_t)page_size)
			p[i] = 2;
		v[k] = (now_ns() - t) / CAL_PAGES;
		keep(p, len);
	}
	report("wp_reuse", v, SAMPLES);
	double u[SAMPLES];

	for (k = 0; k < SAMPLES; k++) {
		uint8_t *p = anon(len, 1);
		struct io_uring_params prm;
		struct iovec iov = { .iov_base = p, .iov_len = len };
		int ring;
		double reg;

		memset(&prm, 0, sizeof(prm));
		ring = sys_io_uring_setup(2, &prm);
		if (ring < 0)
			die("io_uring_setup");
		t = now_ns();
		if (sys_io_uring_register(ring, IORING_REGISTER_BUFFERS, &iov, 1) < 0)
			die("IORING_REGISTER_BUFFERS");
		reg = (now_ns() - t) / CAL_PAGES;
		t = now_ns();
		if (sys_io_uring_register(ring, IORING_UNREGISTER_BUFFERS, NULL, 0) < 0)
			die("IORING_UNREGISTER_BUFFERS");
		v[k] = reg;
		u[k] = (now_ns() - t) / CAL_PAGES;
		close(ring);
		munmap(p, len);
	}
	report("pin_longterm", v, SAMPLES);
	report("unpin_longterm", u, SAMPLES);
	null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null < 0)
		die("open /dev/null");
	for (k = 0; k < SAMPLES; k++) {
		size_t n = (size_t)pipe_max - 2 * (size_t)page_size;
		uint8_t *p = anon(n, 1);
		struct iovec iov = { .iov_base = p, .iov_len = n };
		int fds[2];

		if (pipe(fds) || fcntl(fds[1], F_SETPIPE_SZ, pipe_max) < 0)
			die("pipe");
		t = now_ns();
		if (vmsplice(fds[1], &iov, 1, 0) != (ssize_t)n)
			die("vmsplice");
		v[k] = (now_ns() - t) / (double)(n / (size_t)page_size);
		if (close(fds[1]) || munmap(p, n))
			die("close pipe, munmap");
		/*
		 * The pipe holds the pages' last references now: emptied into /dev/null, as an object's release
		 * empties its pipes (release_pipes), it frees each alone (__folio_put); the empty pipe's close is not timed.
		 */
		t = now_ns();
		pipe_empty(fds[0], null, n);
		u[k] = (now_ns() - t) / (double)(n / (size_t)page_size);
		if (close(fds[0]))
			die("close pipe");
	}
	if (close(null))
		die("close /dev/null");
	report("vmsplice", v, SAMPLES);
	report("put_free", u, SAMPLES);
	for (k = 0; k < SAMPLES; k++) {
		uint8_t *p = anon(len, 1);

		t = now_ns();
		if (mlock(p, len))
			die("mlock");
		v[k] = (now_ns() - t) / CAL_PAGES;
		t = now_ns();
		if (munlock(p, len))
			die("munlock");
		u[k] = (now_ns() - t) / CAL_PAGES;
		munmap(p, len);
	}
	report("mlock", v, SAMPLES);
	report("munlock", u, SAMPLES);
	{
		/* Bandwidths in bytes per ns: a copy that fits the cache, and one ten times its size. */
		size_t small = 256 << 10, big = 256 << 20;
		uint8_t *a = anon(big, 1), *b = anon(big, 1);

		for (k = 0; k < SAMPLES; k++) {
			int r;

			t = now_ns();
			for (r = 0; r < 64; r++)
				memcpy(b, a + (r & 1), small);
			v[k] = 64.0 * small / (now_ns() - t);
		}
		report("memcpy_cache", v, SAMPLES);
		for (k = 0; k < 5; k++) {
			t = now_ns();
			memcpy(b, a + (k & 1), big - 64);
			v[k] = (big - 64) / (now_ns() - t);
		}
		report("memcpy_dram", v, 5);
		for (k = 0; k < SAMPLES; k++) {
			int r;

			t = now_ns();
			for (r = 0; r < 64; r++)
				memset(b, r, small);
			v[k] = 64.0 * small / (now_ns() - t);
		}
		report("memset_cache", v, SAMPLES);
		for (k = 0; k < 5; k++) {
			t = now_ns();
			memset(b, k, big);
			v[k] = big / (now_ns() - t);
		}
		report("memset_dram", v, 5);
		munmap(a, big);
		munmap(b, big);
	}
	/*
	 * The program's own byte work, as a program does it, on pages new to the calibration: a seed's
	 * stream written over pages just populated and written once already; and one written as the
	 * pages fault in, then checked. The first write of a populated page sets its PTE's accessed and
	 * dirty bits (a VM exit each in a guest with shadow page tables: 5 us a page on a nested guest,
	 * ten times the bytes' own time); a fault, timed as a first write, holds that already for the
	 * pages a program faults in, so the rate here is the bytes' alone. A populated range and a faulted
	 * one a sample, on frames the host backs.
	 */
	host_backed((size_t)2 * SAMPLES * len);
	for (k = 0; k < SAMPLES; k++) {
		uint8_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

		if (p == MAP_FAILED)
			die("mmap MAP_POPULATE");
		memset(p, 0, len);
		t = now_ns();
		pattern_fill(p, len, (uint64_t)k, 0);
		v[k] = len / (now_ns() - t);
		keep(p, len);
		u[k] = fill_then_check_bps(len, (uint64_t)k);
	}
	report("stream_write", v, SAMPLES);
	report("stream_check", u, SAMPLES);
	/* The same check of a buffer half the size of the CPU's own cache: it reads the bytes back from that cache. */
	for (k = 0; k < SAMPLES; k++)
		u[k] = fill_then_check_bps(cache_half, (uint64_t)k);
	report("stream_check_cache", u, SAMPLES);
	for (k = 0; k < SAMPLES; k++) {
		int r;

		t = now_ns();
		for (r = 0; r < 10000; r++)
			syscall(SYS_getppid);
		v[k] = (now_ns() - t) / 10000;
	}
	report("syscall", v, SAMPLES);
	/*
	 * An mmap and munmap of one page never touched: two system calls, a VMA made and one freed. Read-only
	 * anonymous memory, which no neighbour of a process's usual mappings merges with.
	 */
	for (k = 0; k < SAMPLES; k++) {
		int r;

		t = now_ns();
		for (r = 0; r < 1000; r++) {
			void *p = mmap(NULL, (size_t)page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (p == MAP_FAILED)
				die("mmap");
			if (munmap(p, (size_t)page_size))
				die("munmap");
		}
		v[k] = (now_ns() - t) / 1000;
	}
	report("mmap_munmap", v, SAMPLES);
	/*
	 * A memfd's 1024 pages written by one pwrite, per page, as a copy object's import writes them: each
	 * page allocated (from the frames the last sample's truncation freed), added to the page cache and
	 * copied into. Then the memfd truncated to nothing, per page: each page taken out of its page cache
	 * and freed, as a copy object's release does (obj_close); the empty file's close is not timed.
	 */
	{
		size_t len = 1024 * (size_t)page_size;
		uint8_t *src = anon(len, 1);

		for (k = 0; k < SAMPLES; k++) {
			int fd = memfd_sized(len);

			if (fd < 0) {
				errno = -fd;
				die("memfd_create");
			}
			t = now_ns();
			if (pwrite(fd, src, len, 0) != (ssize_t)len)
				die("pwrite memfd");
			bare[k] = (now_ns() - t) / 1024;
			t = now_ns();
			if (ftruncate(fd, 0))
				die("ftruncate memfd");
			v[k] = (now_ns() - t) / 1024;
			if (close(fd))
				die("close memfd");
		}
		if (munmap(src, len))
			die("munmap");
	}
	report("memfd_write", bare, SAMPLES);
	report("memfd_truncate", v, SAMPLES);
	/*
	 * A disk file (in /var/tmp, where the executor's disk files are) written a page per pwrite, as
	 * the executor writes one: per page, the call, write_begin adding the page to the page cache and
	 * write_end. Then a write to each of its pages mapped MAP_SHARED after a read of it: the read
	 * mapped the page read-only (the file system wants its writes noticed), so the write takes
	 * wp_page_shared's fault, do_page_mkwrite and fault_dirty_shared_page. Per page, the fault included.
	 */
	{
		size_t len = 1024 * (size_t)page_size;
		uint8_t *src = anon(len, 1);
		double w[SAMPLES];
		int timed = 1;

		for (k = 0; k < SAMPLES; k++) {
			char path[64] = "/var/tmp/upl-calibrate-XXXXXX";
			int fd = mkostemp(path, O_CLOEXEC);
			uint8_t *p;

			if (fd < 0) {
				/* A /var/tmp that takes no file of ours: the profile keeps the guest's figures for these two. */
				fprintf(stderr, "upl-exec: calibrate: no file_write or mkwrite timed: mkostemp /var/tmp: %s\n",
					strerror(errno));
				timed = 0;
				break;
			}
			if (unlink(path))
				die("unlink calibration file");
			t = now_ns();
			for (i = 0; i < len; i += (size_t)page_size)
				if (pwrite(fd, src + i, (size_t)page_size, (off_t)i) != (ssize_t)page_size)
					die("pwrite calibration file");
			w[k] = (now_ns() - t) / 1024;
			p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
			if (p == MAP_FAILED)
				die("mmap calibration file");
			(void)touch_ns(p, len, 0);
			v[k] = touch_ns(p, len, 1) / 1024;
			if (munmap(p, len))
				die("munmap calibration file");
			/* Its page cache new to the calibration, as a program's file's is: the next file's is not this one's. */
			keep_file(fd);
		}
		if (munmap(src, len))
			die("munmap");
		if (timed) {
			report("file_write", w, SAMPLES);
			report("mkwrite", v, SAMPLES);
		}
	}
	{
		/* mprotect of one touched page on CPU 0, with and without a thread of the process on CPU 1. */
		uint8_t *p = anon((size_t)page_size, 1);
		double alone[SAMPLES];
		cpu_set_t was;
		pthread_t th;
		int r;

		if (sched_getaffinity(0, sizeof(was), &was))
			die("sched_getaffinity");
		pin_to(0);

		for (k = 0; k < SAMPLES; k++) {
			t = now_ns();
			for (r = 0; r < 1000; r++)
				if (mprotect(p, (size_t)page_size, r & 1 ? PROT_READ | PROT_WRITE : PROT_READ))
					die("mprotect");
			alone[k] = (now_ns() - t) / 1000;
		}
		if (sysconf(_SC_NPROCESSORS_ONLN) > 1) {
			cpu_set_t set;
			pthread_attr_t at;

			CPU_ZERO(&set);
			CPU_SET(1, &set);
			if (pthread_attr_init(&at) || pthread_attr_setaffinity_np(&at, sizeof(set), &set) ||
			    pthread_create(&th, &at, spin, p))
				die("pthread_create");
			for (k = 0; k < SAMPLES; k++) {
				t = now_ns();
				for (r = 0; r < 1000; r++) {
					if (mprotect(p, (size_t)page_size, r & 1 ? PROT_READ | PROT_WRITE : PROT_READ))
						die("mprotect");
					(void)*(volatile uint8_t *)p;
				}
				v[k] = (now_ns() - t) / 1000;
			}
			spin_stop = 1;
			pthread_join(th, NULL);
			qsort(alone, SAMPLES, sizeof(double), cmp_double);
			for (k = 0; k < SAMPLES; k++)
				v[k] -= alone[SAMPLES / 2];
			report("shootdown", v, SAMPLES);
		}
		report("mprotect_one", alone, SAMPLES);
		if (sched_setaffinity(0, sizeof(was), &was))
			die("sched_setaffinity");
	}
	return 0;
}

/* ---- the router: the lab's commands to the workers, and the device that holds the objects ---- */

/* Per process of the program, by its number: the worker's socket (-1 once it exited) and pid. */
static int *socks;
static pid_t *pids;
static int nprocs;
/* The files that came with the last reply. */
static int *rx;
static size_t rx_cap;
/* Why the last device operation failed, where it was not the operation's own answer (see fail_in). */
static const char *dev_call;

/* Room for process id; 0, or -ENOMEM. */
static int proc_slot(int id)
{
	int n = nprocs ? nprocs : 16, i;
	int *s;
	pid_t *p;

	if (id < nprocs)
		return 0;
	while (n <= id)
		n *= 2;
	s = realloc(socks, sizeof(*socks) * (size_t)n);
	if (!s)
		return -ENOMEM;
	socks = s;
	p = realloc(pids, sizeof(*pids) * (size_t)n);
	if (!p)
		return -ENOMEM;
	pids = p;
	for (i = nprocs; i < n; i++) {
		socks[i] = -1;
		pids[i] = 0;
	}
	nprocs = n;
	return 0;
}

/*
 * One reply line from a worker into out, and the files that came along into rx (their number in
 * *nfds); the spaces that carried earlier batches of files are skipped. 0; -1 if the worker is
 * gone; -EMFILE if files were lost because the router could open no more (the line is read whole).
 */
static int read_reply(int s, char *out, size_t size, int *nfds)
{
	char cbuf[CMSG_SPACE(sizeof(int) * FD_BATCH)];
	size_t have = 0;
	int lost = 0;

	*nfds = 0;
	while (have < size - 1) {
		struct iovec iov = { .iov_base = out + have, .iov_len = 1 };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
		ssize_t n = recvmsg(s, &msg, MSG_CMSG_CLOEXEC);
		struct cmsghdr *cm;

		if (n <= 0)
			return -1;
		if (msg.msg_flags & MSG_CTRUNC)
			lost = 1;
		for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
			if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
				size_t k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);

				if ((size_t)*nfds + k > rx_cap) {
					size_t cap = rx_cap ? rx_cap : FD_BATCH;
					int *grown;

					while (cap < (size_t)*nfds + k)
						cap *= 2;
					grown = realloc(rx, sizeof(int) * cap);
					if (!grown)
						die("realloc files");
					rx = grown;
					rx_cap = cap;
				}
				memcpy(rx + *nfds, CMSG_DATA(cm), sizeof(int) * k);
				*nfds += (int)k;
			}
		if (have == 0 && out[0] == ' ')
			continue;
		if (out[have++] == '\n')
			break;
	}
	out[have] = 0;
	if (lost) {
		close_fds(rx, *nfds);
		*nfds = 0;
		return -EMFILE;
	}
	return 0;
}

static long field(const char *reply, const char *name)
{
	char key[32];
	const char *at;

	snprintf(key, sizeof(key), "\"%s\":", name);
	at = strstr(reply, key);
	return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

/* Takes the object a worker's userptr sent (its nfds files in rx); its number, or -errno with dev_call set. */
static int adopt(int owner, const char *reply, int nfds, int s)
{
	struct obj *o;
	int i, err;

	/* A closed object's number is not given out again: a stale one finds nothing (ENOENT), as on the model. */
	if (nmade == nobjs) {
		int n = nobjs ? 2 * nobjs : 16;
		struct obj *grown = realloc(objs, sizeof(*objs) * (size_t)n);

		dev_call = "realloc";
		if (!grown)
			return -ENOMEM;
		objs = grown;
		for (i = nobjs; i < n; i++)
			objs[i].kind = OBJ_NONE;
		nobjs = n;
	}
	o = &objs[nmade];
	memset(o, 0, sizeof(*o));
	o->owner = owner;
	o->len = (size_t)field(reply, "len");
	o->memfd = o->ring = o->gup = -1;
	switch ((enum kind)field(reply, "kind")) {
	case OBJ_COPY:
		o->memfd = rx[0];
		break;
	case OBJ_LONGTERM: {
		struct ring_msg m;

		char out[LINE + 64];
		int pidfd, n;

		if (recv(s, &m, sizeof(m), MSG_WAITALL) != (ssize_t)sizeof(m))
			die("recv ring layout");
		o->memfd = rx[0];
		dev_call = "pidfd_open";
		pidfd = (int)syscall(SYS_pidfd_open, pids[owner], 0);
		if (pidfd < 0)
			return -errno;
		dev_call = "pidfd_getfd";
		o->ring = (int)syscall(SYS_pidfd_getfd, pidfd, (int)field(reply, "ringfd"), 0);
		err = errno;
		if (close(pidfd))
			die("close pidfd");
		if (o->ring < 0)
			return -err;
		if (dprintf(s, "closefd %ld\n", field(reply, "ringfd")) < 0 || read_reply(s, out, sizeof(out), &n))
			die("closefd");
		o->p = m.p;
		o->addr = m.addr;
		dev_call = "mmap io_uring";
		err = ring_map(o);
		if (err)
			return err;
		break;
	}
	case OBJ_GUP:
		o->gup = rx[0];
		break;
	case OBJ_PIPE:
		o->addr = (uint64_t)field(reply, "addr");
		o->mlocked = (int)field(reply, "mlocked");
		dev_call = "malloc";
		o->pipes = malloc(sizeof(int) * (size_t)nfds);
		if (!o->pipes)
			return -ENOMEM;
		o->npipes = nfds;
		memcpy(o->pipes, rx, sizeof(int) * (size_t)nfds);
		break;
	default:
		dev_call = "reply";
		return -EPROTO;
	}
	o->kind = (enum kind)field(reply, "kind");
	return nmade++;
}

/*
 * Memory of the device's own that a job moves bytes into or out of, as a GPU's VRAM or caches: where a job's bytes
 * land (DEVICE_JOB) and where a pin's test copies its pages (DEVICE_STAGING). Written through before the job, as
 * scaffold, so that a job's time is its transfer, as a DMA's is, and not the faults of a mapping no GPU has; and
 * kept by the router from one job to the next, grown when an object needs more, as a GPU's memory is its own.
 * Mapped and unmapped for each job, its frames went back to this CPU's free lists between a program's steps, and
 * the program's next faults took them warm (rmqueue_pcplist hands back the page freed last first), where a driver's
 * job frees no frame of the system's: pixman-2d's fills took the same time under every strategy, the object's
 * pages freed at its close or not. NULL where it could not be had, with dev_call and device_err (an errno) set.
 */
enum { DEVICE_JOB, DEVICE_STAGING, DEVICE_AREAS };
static uint8_t *device_mem[DEVICE_AREAS];
static size_t device_mem_len[DEVICE_AREAS];
static int device_err;

/*
 * A first transfer into memory just mapped for the device: a sparse memfd's zeros read into it, the copy a job's
 * read makes (copy_to_user). The kernel's first copy into pages is slower than its later ones, even once user space
 * has written them: a run's first 4 MiB job took 880 us here against 640 to 700 for its later ones, or for its first
 * once the memory had taken a read before; a memset of it, or a memcpy into it, did not do that. A GPU's memory is
 * never new to it, and calibrate times the stand-in on memory it has read into before. 0 or -errno.
 */
static int device_first_copy(uint8_t *p, size_t len)
{
	int fd = memfd_sized(len);
	ssize_t got;

	if (fd < 0) {
		dev_call = "memfd_create";
		return fd;
	}
	got = pread(fd, p, len, 0);
	if (got != (ssize_t)len) {
		int err = got < 0 ? errno : EIO;

		close(fd);
		dev_call = "pread";
		return -err;
	}
	if (close(fd))
		die("close memfd");
	return 0;
}

static uint8_t *device_memory(int area, size_t len)
{
	scaffold_begin();
	if (!device_mem[area] || len > device_mem_len[area]) {
		if (device_mem[area])
			scratch_free(device_mem[area], device_mem_len[area]);
		device_mem[area] = scratch(len);
		device_mem_len[area] = len;
		if (!device_mem[area]) {
			dev_call = "mmap";
			device_err = ENOMEM;
		} else if ((device_err = -device_first_copy(device_mem[area], len))) {
			scratch_free(device_mem[area], len);
			device_mem[area] = NULL;
		}
	}
	if (device_mem[area])
		memset(device_mem[area], 0, len);
	scaffold_end();
	return device_mem[area];
}

/*
 * The file a pipe analogue's job splices the object's pages into before the device reads them, kept as the
 * device's memory is, so that a job frees no page cache page of its own: ftruncate grows it, and a splice over
 * its pages writes into them in place.
 */
static int transfer_fd = -1;
static size_t transfer_len;

static int transfer_memfd(size_t len)
{
	if (transfer_fd < 0) {
		int fd = memfd_sized(len);

		if (fd < 0)
			return fd;
		transfer_fd = fd;
		transfer_len = len;
	} else if (len > transfer_len) {
		if (ftruncate(transfer_fd, (off_t)len))
			return -errno;
		transfer_len = len;
	}
	return transfer_fd;
}

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("clflushopt"))) static void clflushopt_lines(const uint8_t *p, size_t len, size_t line)
{
	size_t i;

	for (i = 0; i < len; i += line)
		__builtin_ia32_clflushopt(p + i);
}
#endif

/*
 * [p, p + len) written back and dropped from the CPU's caches: clflushopt where the CPU has it (CPUID.7.0:EBX
 * bit 23), clflush (SSE2) elsewhere on x86, DC CIVAC on arm64, which Linux lets userspace issue (SCTLR_EL1.UCI).
 */
static void flush_lines(const uint8_t *p, size_t len)
{
#if defined(__x86_64__) || defined(__i386__)
	static size_t line;
	static int opt;
	unsigned int a, b, c, d;
	size_t i;

	if (!line) {
		/* CPUID.1:EBX[15:8], the line CLFLUSH flushes, in units of 8 bytes. */
		line = __get_cpuid(1, &a, &b, &c, &d) && (b >> 8 & 0xff) ? (b >> 8 & 0xff) * 8 : 64;
		opt = __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b >> 23 & 1);
	}
	if (opt) {
		clflushopt_lines(p, len, line);
	} else {
		for (i = 0; i < len; i += line)
			__builtin_ia32_clflush(p + i);
	}
	__builtin_ia32_mfence();
#elif defined(__aarch64__)
	uint64_t ctr;
	size_t i, line;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	line = (size_t)4 << (ctr >> 16 & 0xf);
	for (i = 0; i < len; i += line)
		__asm__ volatile("dc civac, %0" : : "r"(p + i) : "memory");
	__asm__ volatile("dsb ish" : : : "memory");
#else
	(void)p;
	(void)len;
#endif
}

/*
 * An object's memfd out of the CPU's caches before the device's transfer, as dma_sync_single_for_device cleans a
 * buffer for a device that does not snoop the CPU's caches (arch_sync_dma_for_device): the transfer then moves bytes to or
 * from memory, whichever CPU last wrote them and whatever the program did since. Without it the stand-in read an
 * object a CPU had just written twice as fast as one the program's later work had pushed out, a difference of
 * where the bytes happened to be, not of the strategy. Scaffold: its mapping's faults and the flush.
 */
static void flush_memfd(int fd, size_t len)
{
	uint8_t *m;

	scaffold_begin();
	m = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		die("mmap of an object's memfd to flush it");
	flush_lines(m, len);
	if (munmap(m, len))
		die("munmap of an object's memfd");
	scaffold_end();
}

/* The object's bytes as the GPU reads them, into buf (o->len bytes); 0 or -errno, with dev_call set where it is a limit. */
static int gpu_read(struct obj *o, uint8_t *buf)
{
	size_t done = 0;
	int i, mfd, err = 0;

	if (o->kind == OBJ_LONGTERM) {
		/* The pinned pages into the memfd, which is then read as a copy object is: the first pass is the analogue's. */
		scaffold_begin();
		err = ring_rw(o, IORING_OP_WRITE_FIXED);
		scaffold_end();
		if (err)
			return err;
	}
	if (o->kind == OBJ_GUP) {
		/* PIN_LONGTERM_TEST_READ copies every pinned page, whole: room for the range's pages. */
		size_t room = o->len + 2 * (size_t)page_size;
		uint8_t *pages = device_memory(DEVICE_STAGING, room);
		uint64_t to = (uintptr_t)pages;

		if (!pages)
			return -device_err;
		if (ioctl(o->gup, PIN_LONGTERM_TEST_READ, &to)) {
			err = -errno;
		} else {
			scaffold_begin();
			memcpy(buf, pages, o->len);
			scaffold_end();
		}
		return err;
	}
	if (o->kind == OBJ_COPY || o->kind == OBJ_LONGTERM) {
		flush_memfd(o->memfd, o->len);
		return pread(o->memfd, buf, o->len, 0) == (ssize_t)o->len ? 0 : -EIO;
	}
	/*
	 * The pipes' pages into a memfd, which is then read as a copy object is: the first pass is the analogue's, so
	 * that every analogue's device reads its bytes through the one transfer calibrate times, from memory the
	 * CPU's caches were flushed of (flush_memfd: the pipes' pages are mapped nowhere here). tee duplicates each
	 * pipe's buffers (the page references) into a second pipe, which splice empties into the memfd.
	 */
	scaffold_begin();
	if ((mfd = transfer_memfd(o->len)) < 0) {
		scaffold_end();
		dev_call = "memfd_create";
		return mfd;
	}
	for (i = 0; i < o->npipes && !err; i++) {
		int fds[2];
		ssize_t n, got;

		if (pipe2(fds, O_CLOEXEC)) {
			dev_call = "pipe2";
			err = -errno;
			break;
		}
		if (fcntl(fds[1], F_SETPIPE_SZ, pipe_max) < 0 || (got = tee(o->pipes[i], fds[1], (size_t)pipe_max, 0)) < 0) {
			dev_call = "F_SETPIPE_SZ or tee";
			err = -errno;
			close_fds(fds, 2);
			break;
		}
		if (close(fds[1]))
			die("close pipe");
		while (got > 0 && done < o->len) {
			loff_t at = (loff_t)done;

			n = splice(fds[0], NULL, mfd, &at, o->len - done, 0);
			if (n <= 0)
				break;
			done += (size_t)n;
			got -= n;
		}
		if (close(fds[0]))
			die("close pipe");
	}
	scaffold_end();
	if (!err && done == o->len)
		flush_memfd(mfd, o->len);
	if (!err)
		err = done == o->len && pread(mfd, buf, o->len, 0) == (ssize_t)o->len ? 0 : -EIO;
	return err;
}

static int gpu_write(struct obj *o, uint64_t seed)
{
	uint8_t *buf;
	int err = 0;

	if (o->kind == OBJ_PIPE || o->kind == OBJ_GUP)
		return -ENOSYS;
	buf = device_memory(DEVICE_JOB, o->len);
	if (!buf)
		return -device_err;
	/* The bytes a job writes are the lab's choice, made in the device's memory before its transfer. */
	scaffold_begin();
	pattern_fill(buf, o->len, seed, 0);
	scaffold_end();
	flush_memfd(o->memfd, o->len);
	if (pwrite(o->memfd, buf, o->len, 0) != (ssize_t)o->len) {
		err = -EIO;
	} else if (o->kind == OBJ_LONGTERM) {
		/* From the memfd into the pinned pages: the write's second pass, the analogue's. */
		scaffold_begin();
		err = ring_rw(o, IORING_OP_READ_FIXED);
		scaffold_end();
	}
	return err;
}

/* Where an object's pipes give their page references back: the router's /dev/null, opened once. */
static int devnull = -1;

/*
 * An object's pipes let go of the pages they hold, as the object's release does: splice to /dev/null
 * empties each (splice_write_null: pipe_buf_release, a put_page of each page, __folio_put of a last
 * reference). The emptied pipes themselves (free_pipe_info: the ring, the inode, the files) are the
 * analogue's, scaffolding as their making was: with the caches cold, as a program's step finds them,
 * a pipe of 16 vmspliced pages took 5.7 us to close, or 3.3 to empty and 3.3 to close empty.
 */
static void release_pipes(int *pipes, int n)
{
	int k;

	for (k = 0; k < n; k++) {
		int held = 0;

		scaffold_begin();
		if (devnull < 0 && (devnull = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0)
			die("open /dev/null");
		if (ioctl(pipes[k], FIONREAD, &held))
			die("FIONREAD");
		scaffold_end();
		pipe_empty(pipes[k], devnull, (size_t)held);
	}
	scaffold_close(pipes, n, NULL, 0);
}

static void obj_close(struct obj *o)
{
	/* The Exynos patch clears VM_LOCKED on the VMAs the range touches: the owner's worker munlocks them, if it still runs. */
	if (o->mlocked && o->owner < nprocs && socks[o->owner] >= 0) {
		char out[LINE + 64];
		int nfds;

		/*
		 * A worker that has gone took its VMAs with it, as owner_status finds nothing there. The patch
		 * clears VM_LOCKED and leaves the pages PG_mlocked; munlock(2), all userspace has, also munlocks
		 * every page: work of the analogue's, as is the message there and back.
		 */
		scaffold_begin();
		if (dprintf(socks[o->owner], "unlock_vmas %lu %zu\n", (unsigned long)o->addr, o->len) >= 0)
			read_reply(socks[o->owner], out, sizeof(out), &nfds);
		scaffold_end();
	}
	o->mlocked = 0;
	if (o->kind == OBJ_LONGTERM) {
		/* The ring's own teardown runs later, from a workqueue; unregistering unpins and uncharges now. */
		if (sys_io_uring_register(o->ring, IORING_UNREGISTER_BUFFERS, NULL, 0) < 0)
			die("IORING_UNREGISTER_BUFFERS");
		/* The ring, its mappings and the memfd it copies through are the analogue's. */
		scaffold_begin();
		if (munmap(o->sq, o->sq_sz) || munmap(o->cq, o->cq_sz) || munmap(o->sqes, o->sqes_sz))
			die("munmap ring");
		if (close(o->ring))
			die("close io_uring");
		if (close(o->memfd))
			die("close memfd");
		o->memfd = -1;
		scaffold_end();
	}
	/*
	 * A copy object's memfd is the object: its pages go with it (shmem_truncate_range, as a GEM object's
	 * shmem pages do at its release), truncated first; the empty file's close, as its making, is the analogue's.
	 */
	if (o->memfd >= 0) {
		if (ftruncate(o->memfd, 0))
			die("ftruncate memfd");
		scaffold_close(&o->memfd, 1, NULL, 0);
		o->memfd = -1;
	}
	/* gup_test's release unpins (pin_longterm_test_stop). */
	if (o->gup >= 0 && close(o->gup))
		die("close gup_test");
	o->gup = -1;
	release_pipes(o->pipes, o->npipes);
	free(o->pipes);
	o->pipes = NULL;
	o->npipes = 0;
	o->kind = OBJ_NONE;
}

static struct obj *obj_at(long i)
{
	return i >= 0 && i < nobjs && objs[i].kind != OBJ_NONE ? &objs[i] : NULL;
}

/* The owner's VmLck and VmPin after a device operation, if it still runs: "vmlck":N,"vmpin":N or -1s. */
static void owner_status(int owner, long *vmlck, long *vmpin)
{
	char out[LINE + 64];
	int nfds;

	*vmlck = *vmpin = -1;
	if (owner < 0 || owner >= nprocs || socks[owner] < 0)
		return;
	if (dprintf(socks[owner], "status\n") < 0 || read_reply(socks[owner], out, sizeof(out), &nfds))
		return;
	*vmlck = field(out, "vmlck");
	*vmpin = field(out, "vmpin");
}

/* A failure of the router's: the operation's own answer, or (dev_call set) the machine's limit. */
static void router_fail(int err, double ns, long vmlck, long vmpin)
{
	if (dev_call)
		printf("{\"ok\":false,\"errno\":%d,\"limit\":true,\"call\":\"%s\",\"ns\":%.0f,\"vmlck\":%ld,\"vmpin\":%ld}\n", err,
		       dev_call, ns, vmlck, vmpin);
	else
		printf("{\"ok\":false,\"errno\":%d,\"ns\":%.0f,\"vmlck\":%ld,\"vmpin\":%ld}\n", err, ns, vmlck, vmpin);
	dev_call = NULL;
}

/*
 * gpu_sees: the object's bytes read into the device's memory as the GPU's job would (gpu_read), then
 * whether [from, from + len) holds the seed's stream from pos; 0 with *value set, -errno of the
 * read, or a positive errno when the device's memory itself could not be had (dev_call names the
 * call). The check is the lab's question, not the device's work: scaffold, so that a job's time
 * does not hang on where its bytes first differ.
 */
static int gpu_sees(struct obj *o, uint64_t from, uint64_t len, uint64_t seed, uint64_t pos, long long *value)
{
	uint8_t *buf = device_memory(DEVICE_JOB, o->len);
	int err;

	if (!buf)
		return device_err;
	err = gpu_read(o, buf);
	scaffold_begin();
	*value = !err && from + len <= o->len && pattern_matches(buf + from, len, seed, pos);
	scaffold_end();
	return err;
}

/*
 * The device's read of an object, gpu_sees itself, timed on a copy object of len bytes, less its scaffold (the
 * device's memory, the check) as a run's reply leaves it out: ns. The lab's host profile takes its GPU figures from
 * it: here the stand-in is the GPU. A job reads pages a program wrote and an import went through, into memory the
 * device has written: none of it a first touch, which the faults' figures hold. So, unlike the faults, it is timed
 * on pages the calibration has used (each sample frees its own), as a run's jobs read: on a guest that is slow to
 * reach memory new to it, kept pages made the stand-in read at half the rate of a run's. Writing, the device's
 * write of it instead, gpu_write, less the bytes it writes made.
 */
static double stand_in_ns(size_t len, int writing)
{
	struct obj o;
	uint8_t *src = anon(len, 0);
	long long seen = 1;
	double t;

	memset(&o, 0, sizeof(o));
	o.kind = OBJ_COPY;
	o.len = len;
	o.ring = o.gup = -1;
	o.memfd = memfd_sized(len);
	if (o.memfd < 0) {
		errno = -o.memfd;
		die("memfd_create");
	}
	pattern_fill(src, len, 1, 0);
	if (pwrite(o.memfd, src, len, 0) != (ssize_t)len)
		die("pwrite memfd");
	scaffold = 0;
	t = now_ns();
	if ((writing ? gpu_write(&o, 2) : gpu_sees(&o, 0, len, 1, 0, &seen)) || !seen) {
		fprintf(stderr, "upl-exec: calibrate: the device's %s of an object failed\n", writing ? "write" : "read");
		exit(2);
	}
	t = now_ns() - t - scaffold;
	if (munmap(src, len))
		die("munmap");
	if (close(o.memfd))
		die("close memfd");
	return t;
}

/*
 * The stand-in's bandwidth over a 4 MiB object, in bytes per ns, reading it and writing it; then per one-page object,
 * in ns: with it, a job's fixed cost (the read's system calls), which a small job shows best.
 */
static void calibrate_device(void)
{
	size_t big = 4u << 20;
	double v[SAMPLES];
	int k;

	for (k = 0; k < SAMPLES; k++)
		v[k] = big / stand_in_ns(big, 0);
	report("gpu_stand_in", v, SAMPLES);
	for (k = 0; k < SAMPLES; k++)
		v[k] = big / stand_in_ns(big, 1);
	report("gpu_stand_in_write", v, SAMPLES);
	for (k = 0; k < SAMPLES; k++)
		v[k] = stand_in_ns((size_t)page_size, 0);
	report("gpu_stand_in_4k", v, SAMPLES);
}

/* gpu_sees, gpu_write, close and close_all: what the device does; true if line was one of them. */
static int device(int id, const char *cmd)
{
	char op[32];
	unsigned long long a = 0, b = 0, c = 0, d = 0, e = 0;
	struct obj *o;
	long lck, pin;
	int err = 0;
	long long value = 0;
	double t = now_ns();

	scaffold = 0;
	if (sscanf(cmd, "%31s %llu %llu %llu %llu %llu", op, &a, &b, &c, &d, &e) < 1)
		return 0;
	dev_call = NULL;
	if (!strcmp(op, "close_all")) {
		int i;

		for (i = 0; i < nobjs; i++)
			if (objs[i].kind != OBJ_NONE && objs[i].owner == id)
				obj_close(&objs[i]);
	} else if (!strcmp(op, "gpu_sees") || !strcmp(op, "gpu_write") || !strcmp(op, "close")) {
		o = obj_at((long)a);
		if (!o) {
			/* GEM_CLOSE of a handle the file lacks: drm_gem_handle_delete's EINVAL; a job's lookup: ENOENT. */
			err = strcmp(op, "close") ? -ENOENT : -EINVAL;
		} else if (!strcmp(op, "close")) {
			obj_close(o);
		} else if (!strcmp(op, "gpu_write")) {
			err = gpu_write(o, b);
			value = 1;
		} else if (!c || b > o->len || c > o->len - b) {
			/* A job's bytes outside its object: the call's own EINVAL, before any job (the model's Gpu.checkSpan). */
			err = -EINVAL;
		} else {
			err = gpu_sees(o, b, c, d, e, &value);
			if (err > 0) {
				router_fail(err, 0, -1, -1);
				return 1;
			}
		}
	} else {
		return 0;
	}
	t = now_ns() - t - scaffold;
	owner_status(id, &lck, &pin);
	if (err)
		router_fail(-err, t, lck, pin);
	else
		printf("{\"ok\":true,\"value\":%lld,\"ns\":%.0f,\"scaffold_ns\":%.0f,\"vmlck\":%ld,\"vmpin\":%ld}\n", value, t,
		       scaffold, lck, pin);
	return 1;
}

/* A new worker for process id, as a program starts: 0, or -errno with dev_call set. */
static int spawn(int id)
{
	char out[LINE + 64];
	int sv[2], nfds;

	dev_call = "socketpair";
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -errno;
	dev_call = "fork";
	pids[id] = fork();
	if (pids[id] < 0) {
		int err = errno;

		close_fds(sv, 2);
		return -err;
	}
	if (pids[id] == 0) {
		/*
		 * A fresh image, as a program starts: nothing of the router's heap, files or
		 * objects comes along (they are all close-on-exec but the socket).
		 */
		char fd[16], *argv[] = { "upl-exec", "--worker", fd, NULL };
		int null = open("/dev/null", O_RDWR);

		if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || fcntl(sv[1], F_SETFD, 0))
			die("worker set-up");
		snprintf(fd, sizeof(fd), "%d", sv[1]);
		execv("/proc/self/exe", argv);
		die("execv");
	}
	if (close(sv[1]))
		die("close socketpair");
	socks[id] = sv[0];
	if (read_reply(sv[0], out, sizeof(out), &nfds))
		die("worker start");
	dev_call = NULL;
	return 0;
}

/*
 * ---- files: made and held by the router, as the machine's; a worker opens one again through
 * /proc/ROUTER/fd/N, which the router writes into its command in place of the file's number ----
 */
static int *files;
static int nfiles, files_cap;
/* The swap file this executor switched on, switched off and removed at the latest when it ends. */
static char swap_on[4096];

enum file_kind { FILE_DISK, FILE_TMPFS, FILE_MEMFD };

/*
 * A file of len bytes: on the local disk (a unique name in /var/tmp, unlinked at once, so that it
 * goes with its last file descriptor) filled with the seed's stream; on tmpfs (/dev/shm, likewise)
 * or a memfd, of zeros. Its number, or -errno with dev_call set.
 */
static int file_new(enum file_kind kind, size_t len, uint64_t seed, unsigned int memfd_flags)
{
	char path[64];
	int fd;

	if (files_cap == nfiles) {
		int cap = files_cap ? 2 * files_cap : 16;
		int *grown = realloc(files, sizeof(*files) * (size_t)cap);

		dev_call = "realloc";
		if (!grown)
			return -ENOMEM;
		files = grown;
		files_cap = cap;
	}
	if (kind == FILE_MEMFD) {
		dev_call = "memfd_create";
		fd = memfd_create("upl-memfd", MFD_CLOEXEC | memfd_flags);
	} else {
		snprintf(path, sizeof(path), "%s/upl-file-XXXXXX", kind == FILE_DISK ? "/var/tmp" : "/dev/shm");
		dev_call = "mkostemp";
		fd = mkostemp(path, O_CLOEXEC);
		if (fd >= 0 && unlink(path))
			die("unlink file");
	}
	if (fd < 0)
		return -errno;
	/* A hugetlbfs file's size is whole huge pages: hugetlbfs_setattr's EINVAL is the program's answer, not a limit here. */
	dev_call = kind == FILE_MEMFD && (memfd_flags & MFD_HUGETLB) ? NULL : "ftruncate";
	if (ftruncate(fd, (off_t)len))
		goto out;
	if (kind == FILE_DISK) {
		size_t done;
		uint8_t *buf;

		/*
		 * The staging buffer is the executor's, not the program's: one page, written once as
		 * scaffolding, so that neither its first touch (its PTE's accessed and dirty bits, a VM
		 * exit each in a guest with shadow page tables) nor its fault is the file's time; the
		 * writer the model prices, as calibrate's file_write, writes from memory it has used.
		 */
		scaffold_begin();
		buf = scratch((size_t)page_size);
		if (buf)
			memset(buf, 0, (size_t)page_size);
		scaffold_end();
		dev_call = "mmap";
		if (!buf)
			goto out;
		/*
		 * A page per pwrite, so that the page cache holds single pages as on the kernels the model
		 * follows: from 6.16 ext4 caches a larger write in large folios, whose page_mkwrite works
		 * on the whole folio at each shared write fault.
		 */
		dev_call = "pwrite";
		for (done = 0; done < len; done += (size_t)page_size) {
			size_t n = len - done < (size_t)page_size ? len - done : (size_t)page_size;

			pattern_fill(buf, n, seed, done);
			if (pwrite(fd, buf, n, (off_t)done) != (ssize_t)n) {
				if (!errno)
					errno = EIO;
				scratch_free(buf, (size_t)page_size);
				goto out;
			}
		}
		scaffold_begin();
		scratch_free(buf, (size_t)page_size);
		scaffold_end();
	}
	files[nfiles] = fd;
	dev_call = NULL;
	return nfiles++;
out:
	{
		int err = errno;

		if (close(fd))
			die("close file");
		return -err;
	}
}

/*
 * Whether the file's first len bytes, once written back, hold the seed's stream: 1, 0, or -errno;
 * EINVAL for more bytes than the file holds, as the model's file range check answers.
 */
static int file_sees(int fd, size_t len, uint64_t seed)
{
	size_t chunk = 1 << 20, done;
	struct stat st;
	uint8_t *buf;
	int same = 1;

	dev_call = "fstat";
	if (fstat(fd, &st))
		return -errno;
	dev_call = NULL;
	if ((uint64_t)len > (uint64_t)st.st_size)
		return -EINVAL;
	dev_call = "fdatasync";
	if (fdatasync(fd))
		return -errno;
	buf = scratch(chunk);
	dev_call = "mmap";
	if (!buf)
		return -ENOMEM;
	for (done = 0; done < len && same; done += chunk) {
		size_t part = len - done < chunk ? len - done : chunk;

		same = pread(fd, buf, part, (off_t)done) == (ssize_t)part && pattern_matches(buf, part, seed, done);
	}
	scratch_free(buf, chunk);
	dev_call = NULL;
	return same;
}

/*
 * A swap file of len bytes at path in mkswap's format (include/linux/swap.h, union swap_header:
 * version 1, last_page, "SWAPSPACE2" at the end of page 0), switched on with swapon(2): 0, or
 * -errno with dev_call naming the call. Every block is written: swapon refuses a file with holes.
 * A file of len bytes already there, one an earlier run's "swapoff_keep" left, is switched on as it
 * is: swapon makes a fresh area of it, and a run that wrote the file just before took the disk's
 * writeback of it into its own swap writes (its first MADV_PAGEOUT of 15 MiB 15 to 17 ms, where
 * one on a file kept takes 7 to 8).
 */
static int swap_file_on(const char *path, size_t len)
{
	size_t chunk = 1 << 20, done;
	uint8_t *buf;
	uint32_t info[3] = { 1, (uint32_t)(len / (size_t)page_size - 1), 0 };
	struct stat st;
	int fd, err = 0;

	dev_call = "stat swap file";
	if (!stat(path, &st)) {
		if (!S_ISREG(st.st_mode) || (size_t)st.st_size != len)
			return -EEXIST;
		dev_call = "swapon";
		if (syscall(SYS_swapon, path, 0))
			return -errno;
		snprintf(swap_on, sizeof(swap_on), "%s", path);
		dev_call = NULL;
		return 0;
	}
	if (errno != ENOENT)
		return -errno;
	buf = scratch(chunk);
	dev_call = "mmap";
	if (!buf)
		return -ENOMEM;
	dev_call = "open swap file";
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		err = -errno;
		scratch_free(buf, chunk);
		return err;
	}
	dev_call = "write swap file";
	for (done = 0; done < len && !err; done += chunk)
		if (pwrite(fd, buf, chunk, (off_t)done) != (ssize_t)chunk)
			err = errno ? -errno : -EIO;
	memcpy(buf + 1024, info, sizeof(info));
	memcpy(buf + page_size - 10, "SWAPSPACE2", 10);
	if (!err && pwrite(fd, buf, (size_t)page_size, 0) != (ssize_t)page_size)
		err = errno ? -errno : -EIO;
	if (!err && fsync(fd))
		err = -errno;
	/*
	 * Swap I/O goes to the file's blocks, not through its page cache: the 256 MiB the write left
	 * there are the lab's, which a program's compaction would otherwise move (85 ms once).
	 */
	if (!err && (err = -posix_fadvise(fd, 0, (off_t)len, POSIX_FADV_DONTNEED)))
		dev_call = "posix_fadvise swap file";
	if (close(fd))
		die("close swap file");
	scratch_free(buf, chunk);
	if (!err) {
		dev_call = "swapon";
		if (syscall(SYS_swapon, path, 0))
			err = -errno;
	}
	if (err) {
		if (unlink(path))
			die("unlink swap file");
		return err;
	}
	snprintf(swap_on, sizeof(swap_on), "%s", path);
	dev_call = NULL;
	return 0;
}

/*
 * try_to_unuse gives up with EINTR while signal_pending(), which task work queued to this process
 * (TIF_NOTIFY_SIGNAL: io_uring's completions) makes true as well; the area stays on, and the return
 * to user space runs the work, so swapoff is tried again.
 */
#define SWAPOFF_TRIES 20
static int swap_file_off(int keep)
{
	int tries = 0;

	dev_call = "swapoff";
	while (syscall(SYS_swapoff, swap_on))
		if (errno != EINTR || ++tries == SWAPOFF_TRIES)
			return -errno;
	dev_call = "unlink swap file";
	if (!keep && unlink(swap_on))
		return -errno;
	swap_on[0] = 0;
	dev_call = NULL;
	return 0;
}

/*
 * Whether a swap area is on: /proc/swaps has a line past its header. Read without stdio, whose
 * buffer a program's process would take from the program's heap: a reclaim that asked through
 * fopen took 16 ms where it takes 7.
 */
static int swap_active(void)
{
	static char buf[4096];
	ssize_t n, i;
	int fd = open("/proc/swaps", O_RDONLY | O_CLOEXEC), lines = 0;

	if (fd < 0)
		die("open /proc/swaps");
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++)
			lines += buf[i] == '\n';
	if (n < 0)
		die("read /proc/swaps");
	if (close(fd))
		die("close /proc/swaps");
	return lines > 1;
}

/*
 * MADV_PAGEOUT of CAL_PAGES written pages with no swap on, per page: each isolated, found to have no
 * swap slot to go to and put back (shrink_folio_list's activate_locked). Nothing where the kernel
 * has no MADV_PAGEOUT (before 5.4).
 */
static void calibrate_pageout_noswap(void)
{
	size_t len = (size_t)CAL_PAGES * (size_t)page_size, i;
	double v[SAMPLES], t;
	int k, err;

	for (k = 0; k < SAMPLES; k++) {
		uint8_t *p = anon(len, 0);

		for (i = 0; i < len; i += (size_t)page_size)
			p[i] = 1;
		t = now_ns();
		err = madvise(p, len, MADV_PAGEOUT) ? errno : 0;
		v[k] = (now_ns() - t) / CAL_PAGES;
		if (munmap(p, len))
			die("munmap");
		if (err == EINVAL)
			return;
		if (err) {
			errno = err;
			die("madvise MADV_PAGEOUT");
		}
	}
	report("pageout_noswap", v, SAMPLES);
}

/*
 * MADV_PAGEOUT of CAL_PAGES written pages, per page (reclaim_pages: unmap, add to the swap cache,
 * the write submitted), then the read faults that bring them back, per page (do_swap_page), on
 * the swap area that is on, or on a swap file set up for the while where none is and root may
 * (what diff does for a program that pages out). Nothing where neither.
 */
static void calibrate_swap(void)
{
	size_t len = (size_t)CAL_PAGES * (size_t)page_size, i;
	double out[SAMPLES], in[SAMPLES], zap[SAMPLES], t;
	char path[64];
	int k, err, ours = 0;

	if (!swap_active()) {
		calibrate_pageout_noswap();
		if (geteuid() != 0)
			return;
		snprintf(path, sizeof(path), "/var/tmp/upl-exec-calibrate-swap.%d", (int)getpid());
		err = swap_file_on(path, 64u << 20);
		if (err) {
			fprintf(stderr, "upl-exec: calibrate: no swap timed: %s: %s\n", dev_call, strerror(-err));
			return;
		}
		ours = 1;
	}
	for (k = 0; k < SAMPLES; k++) {
		uint8_t *p = anon(len, 0);
		volatile uint8_t sum = 0;

		for (i = 0; i < len; i += (size_t)page_size)
			p[i] = (uint8_t)(i / (size_t)page_size + 1);
		t = now_ns();
		if (madvise(p, len, MADV_PAGEOUT))
			die("madvise MADV_PAGEOUT");
		out[k] = (now_ns() - t) / CAL_PAGES;
		t = now_ns();
		for (i = 0; i < len; i += (size_t)page_size)
			sum += p[i];
		in[k] = (now_ns() - t) / CAL_PAGES;
		(void)sum;
		if (munmap(p, len))
			die("munmap");
	}
	/*
	 * The pages written out, then unmapped once their writes have ended, as a program's have by the time it frees
	 * them: a swap entry's zap (free_swap_and_cache_nr) per page, the swap cache's folio freed with it. Unmapped with
	 * the writes in flight, the folios are left to reclaim (folio_free_swap declines one under writeback): 165 ns a
	 * page here, against 370 once they ended, and 1,100 to 1,260 us for a program's free of 16 MiB of which 7 were
	 * swapped out, priced 560 at the first figure.
	 */
	for (k = 0; k < SAMPLES; k++) {
		uint8_t *p = anon(len, 0);

		for (i = 0; i < len; i += (size_t)page_size)
			p[i] = (uint8_t)(i / (size_t)page_size + 1);
		if (madvise(p, len, MADV_PAGEOUT))
			die("madvise MADV_PAGEOUT");
		wait_writeback();
		t = now_ns();
		if (munmap(p, len))
			die("munmap");
		zap[k] = (now_ns() - t) / CAL_PAGES;
	}
	report("pageout", out, SAMPLES);
	report("swapin", in, SAMPLES);
	report("swap_zap", zap, SAMPLES);
	if (ours && swap_file_off(0))
		die(dev_call);
}

/*
 * A write to /proc/sys/vm/compact_memory (compact_nodes: both scanners walk every zone whole), per
 * write, once the calibration has given back what it kept: the machine as a program finds it. The
 * first write moves what the machine had left scattered and is not timed. Root only, as the
 * program's own compaction; nothing where the kernel has no compaction.
 */
static void calibrate_compaction(void)
{
	double v[SAMPLES], t;
	int k, err;

	if (geteuid() != 0 || access("/proc/sys/vm/compact_memory", W_OK))
		return;
	for (k = -1; k < SAMPLES; k++) {
		/*
		 * A program compacts after work of its own, never right after another compaction, which walks
		 * quicker here (5.0 ms falling to 1.8 over sixteen back to back, in a minute where the walk
		 * after any work stayed at 4.3 to 4.9): 16 MiB faulted in and freed again first, nothing of
		 * it left to move.
		 */
		uint8_t *work = anon(16 << 20, 1);

		if (munmap(work, 16 << 20))
			die("munmap");
		t = now_ns();
		err = write_proc("/proc/sys/vm/compact_memory", 1);
		if (err) {
			fprintf(stderr, "upl-exec: calibrate: no compaction timed: write /proc/sys/vm/compact_memory: %s\n",
				strerror(-err));
			return;
		}
		if (k >= 0)
			v[k] = now_ns() - t;
	}
	report("compact_memory", v, SAMPLES);
}

/*
 * The machine's commands, which no process of the program runs: "file_new KIND SIZE SEED [FLAGS]",
 * "file_sees FILE SIZE SEED", "truncate FILE SIZE", "fallocate FILE SIZE", "swapon PATH SIZE",
 * "swapoff [PATH]", "swapoff_keep". True if cmd was one of them; the reply has no process's VmLck
 * and VmPin.
 */
static int machine(const char *cmd)
{
	char op[32], path[4096];
	unsigned long long a = 0, b = 0, c = 0, d = 0;
	long long value = 0;
	int err = 0;
	double t = now_ns();

	scaffold = 0;
	if (sscanf(cmd, "%31s", op) != 1)
		return 0;
	dev_call = NULL;
	if (!strcmp(op, "swapon")) {
		if (sscanf(cmd, "%*s %4095s %llu", path, &a) != 2 || swap_on[0])
			err = -EINVAL;
		else
			err = swap_file_on(path, a);
	} else if (!strcmp(op, "swapoff")) {
		/* "swapoff [PATH]": PATH for a swap file another executor, since gone, switched on. */
		if (!swap_on[0] && sscanf(cmd, "%*s %4095s", path) == 1)
			snprintf(swap_on, sizeof(swap_on), "%s", path);
		err = swap_on[0] ? swap_file_off(0) : -EINVAL;
	} else if (!strcmp(op, "swapoff_keep")) {
		err = swap_on[0] ? swap_file_off(1) : -EINVAL;
	} else if (!strcmp(op, "compact")) {
		err = write_proc("/proc/sys/vm/compact_memory", 1);
	} else if (!strcmp(op, "zeropage")) {
		value = zeropage_shared();
		err = value < 0 ? (int)value : 0;
	} else if (!strcmp(op, "file_new") || !strcmp(op, "file_sees") || !strcmp(op, "truncate") || !strcmp(op, "fallocate")) {
		if (sscanf(cmd, "%*s %llu %llu %llu %llu", &a, &b, &c, &d) < 2) {
			err = -EINVAL;
		} else if (!strcmp(op, "file_new")) {
			err = a > FILE_MEMFD || (d && a != FILE_MEMFD) || d > UINT_MAX ? -EINVAL
				: file_new((enum file_kind)a, b, c, (unsigned int)d);
			value = err;
			err = err < 0 ? err : 0;
		} else if (a >= (unsigned long long)nfiles) {
			err = -EBADF;
		} else if (!strcmp(op, "file_sees")) {
			err = file_sees(files[a], b, c);
			value = err;
			err = err < 0 ? err : 0;
		} else if (!strcmp(op, "fallocate")) {
			/* fallocate(2)'s own answer: ENOSPC when a hugetlb pool runs out. */
			if (fallocate(files[a], 0, 0, (off_t)b))
				err = -errno;
		} else if (ftruncate(files[a], (off_t)b)) {
			/* truncate(2)'s own answer. */
			err = -errno;
		}
	} else {
		return 0;
	}
	t = now_ns() - t - scaffold;
	if (err)
		router_fail(-err, t, -1, -1);
	else
		printf("{\"ok\":true,\"value\":%lld,\"ns\":%.0f,\"scaffold_ns\":%.0f,\"vmlck\":-1,\"vmpin\":-1}\n", value, t,
		       scaffold);
	return 1;
}

/* A worker's command naming a file ("mmap_file FILE ...", "read_direct FILE ...") names it as PID FD instead: 0, or -EBADF. */
static int file_for_worker(char *cmd, size_t size)
{
	char op[32], rest[LINE - 96];
	long f;

	if (sscanf(cmd, "%31s %ld %415[^\n]", op, &f, rest) != 3 || (strcmp(op, "mmap_file") && strcmp(op, "read_direct")))
		return 0;
	if (f < 0 || f >= nfiles)
		return -EBADF;
	snprintf(cmd, size, "%s %d %d %s", op, (int)getpid(), files[f], rest);
	return 0;
}

static void route(void)
{
	char line[LINE], out[LINE + 64];
	int nfds, i;

	one_cpu();
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("{\"ok\":true,\"value\":0,\"ready\":true,\"pagesize\":%ld}\n", page_size);
	while (fgets(line, sizeof(line), stdin)) {
		int id, next, s, err;
		char cmd[LINE];

		if (sscanf(line, "%d %[^\n]", &id, cmd) != 2 || id < 0) {
			printf("{\"ok\":false,\"errno\":%d}\n", EINVAL);
			continue;
		}
		dev_call = "realloc";
		if (proc_slot(id)) {
			router_fail(ENOMEM, 0, -1, -1);
			continue;
		}
		dev_call = NULL;
		if (!strcmp(cmd, "spawn")) {
			err = spawn(id);
			if (err)
				router_fail(-err, 0, -1, -1);
			else
				printf("{\"ok\":true,\"value\":%d}\n", pids[id]);
			continue;
		}
		if (machine(cmd) || device(id, cmd))
			continue;
		if (file_for_worker(cmd, sizeof(cmd))) {
			router_fail(EBADF, 0, -1, -1);
			continue;
		}
		s = socks[id];
		if (s < 0) {
			printf("{\"ok\":false,\"errno\":%d}\n", ESRCH);
			continue;
		}
		if (sscanf(cmd, "fork %d", &next) == 1) {
			if (next < 0) {
				printf("{\"ok\":false,\"errno\":%d}\n", EINVAL);
				continue;
			}
			if (proc_slot(next)) {
				dev_call = "realloc";
				router_fail(ENOMEM, 0, -1, -1);
				continue;
			}
			if (dprintf(s, "fork\n") < 0 || read_reply(s, out, sizeof(out), &nfds)) {
				printf("{\"ok\":false,\"signal\":%d}\n", SIGKILL);
				continue;
			}
			if (nfds == 1) {
				socks[next] = rx[0];
				pids[next] = (pid_t)field(out, "value");
			}
			fputs(out, stdout);
			continue;
		}
		if (!strcmp(cmd, "exit")) {
			char c;

			/* The worker may be a grandchild (forked by another worker): its socket's EOF is its exit. */
			if (dprintf(s, "exit\n") < 0)
				die("write exit");
			while (read(s, &c, 1) > 0)
				;
			waitpid(pids[id], NULL, WNOHANG);
			if (close(s))
				die("close worker socket");
			socks[id] = -1;
			printf("{\"ok\":true,\"value\":0}\n");
			continue;
		}
		if (dprintf(s, "%s\n", cmd) < 0)
			die("write command");
		if (!strcmp(cmd, "exec")) {
			/* The reply comes from the new image, once it runs. */
			if (read_reply(s, out, sizeof(out), &nfds))
				printf("{\"ok\":false,\"signal\":%d}\n", SIGKILL);
			else
				fputs(out, stdout);
			continue;
		}
		err = read_reply(s, out, sizeof(out), &nfds);
		if (err == -EMFILE) {
			dev_call = "recvmsg";
			router_fail(EMFILE, 0, -1, -1);
			continue;
		}
		if (err) {
			printf("{\"ok\":false,\"signal\":%d}\n", SIGKILL);
			continue;
		}
		if (nfds > 0) {
			int h = adopt(id, out, nfds, s);

			if (h < 0) {
				close_fds(rx, nfds);
				router_fail(-h, 0, -1, -1);
				continue;
			}
			printf("{\"ok\":true,\"value\":%d,\"ns\":%ld,\"scaffold_ns\":%ld,\"vmlck\":%ld,\"vmpin\":%ld}\n", h,
			       field(out, "ns"), field(out, "scaffold_ns"), field(out, "vmlck"), field(out, "vmpin"));
			continue;
		}
		fputs(out, stdout);
	}
	for (i = 0; i < nobjs; i++)
		if (objs[i].kind != OBJ_NONE)
			obj_close(&objs[i]);
	close_fds(files, nfiles);
	for (i = 0; i < nprocs; i++)
		if (socks[i] >= 0) {
			dprintf(socks[i], "exit\n");
			close(socks[i]);
		}
	while (wait(NULL) > 0)
		;
	/* A lab that died before its swapoff leaves no swap file behind. */
	if (swap_on[0]) {
		/* ENOENT, EINVAL: another executor switched it off and removed it already. */
		int err = swap_file_off(0);

		if (err && err != -ENOENT && err != -EINVAL)
			fprintf(stderr, "upl-exec: %s %s: %s\n", dev_call, swap_on, strerror(-err));
	}
}

static long read_pipe_max(void)
{
	char buf[32];
	ssize_t n;
	int fd = open("/proc/sys/fs/pipe-max-size", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die("open /proc/sys/fs/pipe-max-size");
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		die("read /proc/sys/fs/pipe-max-size");
	close(fd);
	buf[n] = 0;
	return strtol(buf, NULL, 10);
}

/*
 * As many files as the hard limit allows: an object of the pin analogues holds a pipe per
 * pipe-max-size bytes, and the router holds every object's. "--files N" lowers the limit to N,
 * as on a machine set up tighter than this one.
 */
static void open_files(int argc, char **argv)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r))
		die("getrlimit RLIMIT_NOFILE");
	if (argc == 3 && !strcmp(argv[1], "--files")) {
		r.rlim_max = strtoul(argv[2], NULL, 10);
		if (r.rlim_max < 8) {
			fprintf(stderr, "upl-exec: --files takes a number of at least 8, not '%s'\n", argv[2]);
			exit(2);
		}
	}
	r.rlim_cur = r.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &r))
		die("setrlimit RLIMIT_NOFILE");
}

int main(int argc, char **argv)
{
	open_files(argc, argv);
	page_size = sysconf(_SC_PAGESIZE);
	if (page_size <= 0)
		die("sysconf(_SC_PAGESIZE)");
	pipe_max = read_pipe_max();
	if (argc == 3 && !strcmp(argv[1], "--worker")) {
		chan = atoi(argv[2]);
		worker();
	}
	if (argc == 2 && !strcmp(argv[1], "--probe")) {
		struct io_uring_params p;
		int fd;

		memset(&p, 0, sizeof(p));
		fd = sys_io_uring_setup(2, &p);
		if (fd < 0) {
			printf("io_uring_setup: %s\n", strerror(errno));
			return 1;
		}
		close(fd);
		printf("ok\n");
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--calibrate")) {
		int err = calibrate();

		if (!err) {
			calibrate_device();
			calibrate_swap();
		}
		release_kept();
		if (!err)
			calibrate_compaction();
		return err;
	}
	if (argc != 1 && !(argc == 3 && !strcmp(argv[1], "--files"))) {
		fprintf(stderr, "usage: upl-exec [--calibrate | --probe | --files N]   (commands on stdin, JSON replies on stdout)\n");
		return 2;
	}
	route();
	return 0;
}
