/*
 * libxsched-interpose: intercepts the CUDA driver entry points of entries.def in an unmodified
 * program (LD_PRELOAD) and hands them to xsched's Java agent; see xsched_interpose.h.
 *
 * Programs reach the driver three ways, and each one ends at a wrapper below:
 *   - cuGetProcAddress(_v2), the CUDA runtime's way: the result is swapped for the wrapper;
 *   - dlsym(handle, name) on libcuda: likewise;
 *   - linking libcuda directly: the wrappers are exported under the driver's names.
 * A wrapper starts the agent once, then calls the installed handler or the real function.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "interpose_internal.h"
#include "xsched_cuda.h"
#include "xsched_interpose.h"

#if !defined(__OPTIMIZE__)
/* Unoptimised, gcc emits no sibling call in dlsym(), and glibc would then resolve every
 * RTLD_NEXT/RTLD_DEFAULT lookup in the process as if this library had made it. */
#error "build libxsched-interpose with optimisation (-O2)"
#endif

/* On dlsym's path: it runs before anything is initialised, AddressSanitizer's runtime included
 * (which resolves its own interceptors through it), so that path carries no ASan checks. */
#define XS_EARLY __attribute__((no_sanitize_address))

enum {
#define XSCHED_ENTRY(name, base, since, until, ptsz, params, args) XS_ID_##name,
#include "entries.def"
    XS_ENTRIES,
    /* Slots after the entries: intercepted, but not in the table Java sees. */
    XS_ID_GET_PROC_ADDRESS = XS_ENTRIES, /* cuGetProcAddress, CUDA 11.3 */
    XS_ID_GET_PROC_ADDRESS_V2,           /* cuGetProcAddress_v2, CUDA 12.0 */
    XS_SLOTS
};

static const struct xs_entry {
    const char *name;
    const char *base;
    int since;
    int until;
    int ptsz;
} xs_entries[XS_ENTRIES] = {
#define XSCHED_ENTRY(name, base, since, until, ptsz, params, args) {#name, #base, since, until, ptsz},
#include "entries.def"
};

XS_EARLY static const char *xs_slot_name(int slot)
{
    switch (slot) {
    case XS_ID_GET_PROC_ADDRESS:
        return "cuGetProcAddress";
    case XS_ID_GET_PROC_ADDRESS_V2:
        return "cuGetProcAddress_v2";
    default:
        return xs_entries[slot].name;
    }
}

static _Atomic(void *) xs_real[XS_SLOTS];
static _Atomic(void *) xs_handler[XS_ENTRIES];
static _Atomic(void *) xs_libcuda;
/* initial-exec: the library is preloaded, so its TLS is static and needs no __tls_get_addr. */
static _Thread_local unsigned xs_bypass __attribute__((tls_model("initial-exec")));
static atomic_int xs_paused;
static pthread_once_t xs_agent_once = PTHREAD_ONCE_INIT;

/* ---- glibc's dlsym and libcuda ------------------------------------------------------------ */

typedef void *(*xs_dlsym_fn)(void *, const char *);
static _Atomic(xs_dlsym_fn) xs_dlsym_next;

XS_EARLY static xs_dlsym_fn xs_next_dlsym(void)
{
    static const char *const versions[] = {"GLIBC_2.34", "GLIBC_2.2.5", "GLIBC_2.17" /* aarch64 */};
    xs_dlsym_fn next = atomic_load_explicit(&xs_dlsym_next, memory_order_acquire);
    for (size_t i = 0; next == NULL && i < sizeof versions / sizeof *versions; i++) {
        next = (xs_dlsym_fn)dlvsym(RTLD_NEXT, "dlsym", versions[i]);
        if (next == NULL)
            (void)dlerror(); /* leave no error of ours for the program's dlerror() */
        else
            atomic_store_explicit(&xs_dlsym_next, next, memory_order_release);
    }
    return next;
}

void *xs_real_dlsym(void *handle, const char *name)
{
    xs_dlsym_fn next = xs_next_dlsym();
    return next != NULL ? next(handle, name) : NULL;
}

static void *xs_libcuda_handle(void)
{
    void *lib = atomic_load_explicit(&xs_libcuda, memory_order_acquire);
    if (lib == NULL) {
        lib = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_NOLOAD);
        if (lib == NULL)
            lib = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_GLOBAL);
        if (lib == NULL) {
            (void)dlerror();
            return NULL;
        }
        void *raced = NULL;
        if (!atomic_compare_exchange_strong(&xs_libcuda, &raced, lib)) {
            dlclose(lib); /* another thread's reference stays */
            lib = raced;
        }
    }
    return lib;
}

/* ---- the wrappers ------------------------------------------------------------------------- */

XS_EARLY static int xs_is_ours(const void *fn);
static void *xs_slot_real(int slot);

/* The handler to call, or NULL to forward; a non-NULL result must be paired with xs_bypass--.
 * Without a real function there is nothing a handler could forward to: no handler then. */
static void *xs_handler_for(int id)
{
    if (xs_bypass != 0 || atomic_load_explicit(&xs_paused, memory_order_relaxed) != 0)
        return NULL;
    pthread_once(&xs_agent_once, xs_agent_start);
    void *handler = atomic_load_explicit(&xs_handler[id], memory_order_acquire);
    if (handler != NULL && xs_slot_real(id) == NULL)
        return NULL;
    if (handler != NULL)
        xs_bypass++;
    return handler;
}

/* ---- direct lanes ------------------------------------------------------------------------
 *
 * A stream's lane lets its launches skip the agent: while the stream's queue would launch them at
 * once anyway, the agent leaves credits in the lane (xsched_interpose_lane) and a wrapper of an
 * entry it marked (xsched_interpose_lane_entry) takes one, calls the driver itself and then counts
 * the launch made (the word after the credits). The agent learns how many were made when it next
 * looks, and when it closes a lane it waits for the launches whose credit was taken to be made, so
 * a sync point it records after that lies behind them in the stream. The table maps a stream handle (the legacy stream
 * as 0) to its lane, open addressing; the agent frees a destroyed stream's lane (its slot becomes a
 * tombstone that lookups pass over and a new lane reuses), and when the table is full a new
 * stream gets none: its calls all go through the agent. Only the agent makes and frees lanes, under
 * xs_lane_mutex (so no key is in the table twice); the wrappers look them up without a lock. */

#define XS_LANES 1024 /* a power of two */
#define XS_STREAM_LEGACY ((uintptr_t)0x1)     /* CU_STREAM_LEGACY */
#define XS_STREAM_PER_THREAD ((uintptr_t)0x2) /* CU_STREAM_PER_THREAD */

#define XS_LANE_GONE (~0ull) /* the key of a freed lane's slot; no stream + 1 is that */

struct xs_lane {
    _Atomic(unsigned long long) key; /* stream + 1; 0: never used; XS_LANE_GONE: freed */
    _Atomic(long long) credits;      /* launches a wrapper may make without the agent */
    _Atomic(long long) made;         /* launches made through the lane whose driver call returned; right after credits */
} __attribute__((aligned(64)));      /* one cache line each: lanes of different threads' streams do not share one */

static struct xs_lane xs_lanes[XS_LANES];
static atomic_bool xs_laned[XS_ENTRIES];

static unsigned xs_lane_home(unsigned long long key)
{
    return (unsigned)((key * 0x9E3779B97F4A7C15ull) >> 54) & (XS_LANES - 1);
}

/* A stream's key in the table: stream + 1, CU_STREAM_LEGACY and 0 being the one legacy stream. */
static unsigned long long xs_lane_key(unsigned long long stream)
{
    return (stream == XS_STREAM_LEGACY ? 0 : stream) + 1;
}

static pthread_mutex_t xs_lane_mutex = PTHREAD_MUTEX_INITIALIZER;
/* The farthest any live lane lies from its key's home slot: a lookup looks no farther, so a table
 * full of tombstones does not make a stream without a lane probe all of it. Grows when a lane is
 * made; computed again when one is freed, so a burst of streams does not lengthen later lookups. */
static _Atomic unsigned xs_lane_reach;

/* The lane of key (stream + 1), NULL: none. Without a lock: the wrappers' lookup. */
static struct xs_lane *xs_lane_at(unsigned long long key)
{
    unsigned at = xs_lane_home(key);
    unsigned reach = atomic_load_explicit(&xs_lane_reach, memory_order_acquire);
    for (unsigned probes = 0; probes <= reach; probes++, at = (at + 1) & (XS_LANES - 1)) {
        unsigned long long k = atomic_load_explicit(&xs_lanes[at].key, memory_order_acquire);
        if (k == key)
            return &xs_lanes[at];
        if (k == 0)
            return NULL;
    }
    return NULL;
}

/* The lane of key, taken in the table if it has none (the first tombstone on its way, else the
 * empty slot that ends it); NULL: the table is full. xs_lane_mutex held. */
static struct xs_lane *xs_lane_make(unsigned long long key)
{
    struct xs_lane *lane = xs_lane_at(key);
    if (lane != NULL)
        return lane;
    unsigned at = xs_lane_home(key);
    for (unsigned probes = 0; probes < XS_LANES; probes++, at = (at + 1) & (XS_LANES - 1)) {
        unsigned long long k = atomic_load_explicit(&xs_lanes[at].key, memory_order_relaxed);
        if (k == 0 || k == XS_LANE_GONE) {
            if (probes > atomic_load_explicit(&xs_lane_reach, memory_order_relaxed))
                atomic_store_explicit(&xs_lane_reach, probes, memory_order_release);
            /* made goes on counting: the agent counts from where it finds it, and a call of the
             * slot's last stream still in the driver must not move it backwards */
            atomic_store_explicit(&xs_lanes[at].credits, 0, memory_order_relaxed);
            atomic_store_explicit(&xs_lanes[at].key, key, memory_order_release);
            return &xs_lanes[at];
        }
    }
    return NULL;
}

/* The farthest a live lane lies from its home slot. xs_lane_mutex held. */
static unsigned xs_lane_farthest(void)
{
    unsigned farthest = 0;
    for (unsigned at = 0; at < XS_LANES; at++) {
        unsigned long long k = atomic_load_explicit(&xs_lanes[at].key, memory_order_relaxed);
        if (k != 0 && k != XS_LANE_GONE) {
            unsigned distance = (at - xs_lane_home(k)) & (XS_LANES - 1);
            if (distance > farthest)
                farthest = distance;
        }
    }
    return farthest;
}

/* The lane of entry id's call on stream, or NULL: the entry is not marked, or the stream is the
 * calling thread's per-thread default stream (its queue is the thread's own, run by the agent). */
static struct xs_lane *xs_lane_for(int id, CUstream stream)
{
    if (!atomic_load_explicit(&xs_laned[id], memory_order_relaxed))
        return NULL;
    uintptr_t s = (uintptr_t)stream;
    if (s == XS_STREAM_PER_THREAD || (s == 0 && xs_entries[id].ptsz))
        return NULL;
    return xs_lane_at(xs_lane_key(s));
}

/* Takes a credit: whether the caller may launch without the agent. */
static int xs_lane_take(struct xs_lane *lane)
{
    return atomic_load_explicit(&lane->credits, memory_order_relaxed) > 0
           && atomic_fetch_sub_explicit(&lane->credits, 1, memory_order_acq_rel) > 0;
}

/*
 * The stream of a wrapper's call. Every wrapper names `xs_stream_of(hStream, config)`: in those
 * whose entry has a parameter hStream (or config, cuLaunchKernelEx's CUlaunchConfig), the
 * parameter is meant; in the others, these two, which name the per-thread stream (never a lane).
 */
static const CUstream hStream = (CUstream)XS_STREAM_PER_THREAD;
static const CUlaunchConfig *const config = NULL;

static CUstream xs_stream_of(CUstream stream, const CUlaunchConfig *launch)
{
    if (launch == NULL)
        return stream;
    CUstream in_config;
    memcpy(&in_config, (const char *)launch + XS_LAUNCH_CONFIG_STREAM, sizeof in_config);
    return in_config;
}

#define XSCHED_ENTRY(name, base, since, until, ptsz, params, args)                      \
    typedef CUresult (*xs_fn_##name) params;                                             \
    static CUresult xs_wrap_##name params                                                \
    {                                                                                    \
        void *handler = xs_handler_for(XS_ID_##name);                                    \
        if (handler != NULL) {                                                           \
            CUresult rc;                                                                 \
            struct xs_lane *lane = xs_lane_for(XS_ID_##name, xs_stream_of(hStream, config)); \
            if (lane != NULL && xs_lane_take(lane)) {                                    \
                rc = ((xs_fn_##name)xs_slot_real(XS_ID_##name)) args;                    \
                atomic_fetch_add_explicit(&lane->made, 1, memory_order_release);         \
            } else                                                                       \
                rc = ((xs_fn_##name)handler) args;                                       \
            xs_bypass--;                                                                 \
            return rc;                                                                   \
        }                                                                                \
        xs_fn_##name real = (xs_fn_##name)xs_slot_real(XS_ID_##name);                    \
        return real != NULL ? real args : CUDA_ERROR_NOT_FOUND;                          \
    }                                                                                    \
    extern __typeof__(xs_wrap_##name) name                                               \
        __attribute__((alias("xs_wrap_" #name), visibility("default")));
#include "entries.def"

/* ---- cuGetProcAddress --------------------------------------------------------------------- */

typedef CUresult (*xs_get_proc_v1_fn)(const char *, void **, int, cuuint64_t);
typedef CUresult (*xs_get_proc_v2_fn)(const char *, void **, int, cuuint64_t,
                                      CUdriverProcAddressQueryResult *);

static CUresult xs_real_get_proc(const char *symbol, void **pfn, int version, cuuint64_t flags,
                                 CUdriverProcAddressQueryResult *status, int prefer_v2)
{
    xs_get_proc_v2_fn v2 = (xs_get_proc_v2_fn)xs_slot_real(XS_ID_GET_PROC_ADDRESS_V2);
    xs_get_proc_v1_fn v1 = (xs_get_proc_v1_fn)xs_slot_real(XS_ID_GET_PROC_ADDRESS);
    if (v2 != NULL && (prefer_v2 || v1 == NULL))
        return v2(symbol, pfn, version, flags, status);
    if (v1 != NULL) {
        CUresult rc = v1(symbol, pfn, version, flags);
        if (status != NULL)
            *status = rc == CUDA_SUCCESS && pfn != NULL && *pfn != NULL
                          ? CU_GET_PROC_ADDRESS_SUCCESS
                          : CU_GET_PROC_ADDRESS_SYMBOL_NOT_FOUND;
        return rc;
    }
    if (pfn != NULL)
        *pfn = NULL;
    if (status != NULL)
        *status = CU_GET_PROC_ADDRESS_SYMBOL_NOT_FOUND;
    return CUDA_ERROR_NOT_FOUND;
}

/* The slot cuGetProcAddress(symbol, version, flags) lands on, or -1: the per-thread variant if
 * the flags ask for it and one exists for that version, else the legacy one (cuda.h's rule). */
static int xs_slot_for_proc(const char *symbol, int version, int per_thread)
{
    if (strcmp(symbol, "cuGetProcAddress") == 0)
        return version >= 12000 ? XS_ID_GET_PROC_ADDRESS_V2
                                : version >= 11030 ? XS_ID_GET_PROC_ADDRESS : -1;
    for (int ptsz = per_thread; ptsz >= 0; ptsz--)
        for (int i = 0; i < XS_ENTRIES; i++) {
            const struct xs_entry *e = &xs_entries[i];
            if (e->ptsz == ptsz && e->since <= version && (e->until == 0 || version < e->until)
                && strcmp(e->base, symbol) == 0)
                return i;
        }
    return -1;
}

static void *const xs_ours[XS_SLOTS];

static void *xs_swap_proc(const char *symbol, void *found, int version, cuuint64_t flags,
                          int prefer_v2)
{
    int slot = xs_slot_for_proc(symbol, version,
                                (flags & CU_GET_PROC_ADDRESS_PER_THREAD_DEFAULT_STREAM) != 0);
    if (slot < 0 || xs_is_ours(found))
        return found;
    if (version > XSCHED_CUDA_VERSION_CHECKED) {
        /* Newer than this table: wrap only if it is still the variant the table knows. */
        void *known = NULL;
        CUdriverProcAddressQueryResult status;
        if (xs_real_get_proc(symbol, &known, XSCHED_CUDA_VERSION_CHECKED, flags, &status, prefer_v2)
                != CUDA_SUCCESS
            || known != found)
            return found;
    }
    atomic_store_explicit(&xs_real[slot], found, memory_order_release);
    return xs_ours[slot];
}

static CUresult xs_get_proc(const char *symbol, void **pfn, int version, cuuint64_t flags,
                            CUdriverProcAddressQueryResult *status, int prefer_v2)
{
    CUresult rc = xs_real_get_proc(symbol, pfn, version, flags, status, prefer_v2);
    if (rc == CUDA_SUCCESS && symbol != NULL && pfn != NULL && *pfn != NULL)
        *pfn = xs_swap_proc(symbol, *pfn, version, flags, prefer_v2);
    return rc;
}

static CUresult xs_get_proc_address(const char *symbol, void **pfn, int cudaVersion,
                                    cuuint64_t flags)
{
    return xs_get_proc(symbol, pfn, cudaVersion, flags, NULL, 0);
}

static CUresult xs_get_proc_address_v2(const char *symbol, void **pfn, int cudaVersion,
                                       cuuint64_t flags, CUdriverProcAddressQueryResult *symbolStatus)
{
    return xs_get_proc(symbol, pfn, cudaVersion, flags, symbolStatus, 1);
}

extern __typeof__(xs_get_proc_address) cuGetProcAddress
    __attribute__((alias("xs_get_proc_address"), visibility("default")));
extern __typeof__(xs_get_proc_address_v2) cuGetProcAddress_v2
    __attribute__((alias("xs_get_proc_address_v2"), visibility("default")));

/* Every slot's function in this library, by local address (immune to interposition). */
static void *const xs_ours[XS_SLOTS] = {
#define XSCHED_ENTRY(name, base, since, until, ptsz, params, args) [XS_ID_##name] = (void *)xs_wrap_##name,
#include "entries.def"
    [XS_ID_GET_PROC_ADDRESS] = (void *)xs_get_proc_address,
    [XS_ID_GET_PROC_ADDRESS_V2] = (void *)xs_get_proc_address_v2,
};

XS_EARLY static int xs_is_ours(const void *fn)
{
    for (int i = 0; i < XS_SLOTS; i++)
        if (xs_ours[i] == fn)
            return 1;
    return 0;
}

/* The real function of a slot: remembered from the program's own lookup, else libcuda's. */
static void *xs_slot_real(int slot)
{
    void *real = atomic_load_explicit(&xs_real[slot], memory_order_acquire);
    if (real != NULL)
        return real;
    void *lib = xs_libcuda_handle();
    if (lib == NULL)
        return NULL;
    real = xs_real_dlsym(lib, xs_slot_name(slot));
    if (real == NULL || xs_is_ours(real)) {
        (void)dlerror();
        return NULL;
    }
    void *raced = NULL;
    if (!atomic_compare_exchange_strong(&xs_real[slot], &raced, real))
        return raced;
    return real;
}

/* ---- dlsym -------------------------------------------------------------------------------- */

XS_EARLY static int xs_from_jvm(const void *caller);

XS_EARLY static int xs_slot_of_name(const char *name)
{
    if (name == NULL || name[0] != 'c' || name[1] != 'u')
        return -1;
    for (int i = 0; i < XS_SLOTS; i++)
        if (strcmp(name, xs_slot_name(i)) == 0)
            return i;
    return -1;
}

XS_EARLY static void *xs_swap_symbol(void *found, int slot)
{
    if (found == NULL || xs_is_ours(found))
        return found;
    atomic_store_explicit(&xs_real[slot], found, memory_order_release);
    return xs_ours[slot];
}

/*
 * glibc resolves RTLD_NEXT and RTLD_DEFAULT relative to the object that called dlsym, so those
 * lookups and every uninteresting name leave through a sibling call, which keeps the program's
 * return address and thus its caller (a normal call would make this library the caller and send,
 * say, libomp's RTLD_NEXT lookup back into libomp). Only lookups in an explicit handle are swapped:
 * RTLD_DEFAULT already finds the wrappers, exported from a preloaded library; RTLD_NEXT is how
 * other interposers chain, and they must get what follows them.
 */
XS_EXPORT XS_EARLY void *dlsym(void *handle, const char *name)
{
    xs_dlsym_fn next = xs_next_dlsym();
    int slot;
    if (next == NULL)
        return NULL;
    if (handle == RTLD_NEXT || handle == RTLD_DEFAULT || (slot = xs_slot_of_name(name)) < 0)
        return next(handle, name);
    void *found = next(handle, name);
    return xs_from_jvm(__builtin_return_address(0)) ? found : xs_swap_symbol(found, slot);
}

/* ---- the agent's JVM ---------------------------------------------------------------------- */

static _Atomic(void *) xs_jvm_base;

void xs_jvm_loaded(void *symbol)
{
    Dl_info info;
    if (symbol != NULL && dladdr(symbol, &info) != 0 && info.dli_fbase != NULL)
        atomic_store_explicit(&xs_jvm_base, info.dli_fbase, memory_order_release);
}

/* Whether code at this address belongs to the agent's libjvm: the JVM resolves the driver for
 * xsched's own CUDA backend (FFM symbol lookups end in libjvm's dlsym call), and that backend
 * must reach the real functions from any of its threads, never the wrappers. */
XS_EARLY static int xs_from_jvm(const void *caller)
{
    void *base = atomic_load_explicit(&xs_jvm_base, memory_order_acquire);
    Dl_info info;
    return base != NULL && dladdr(caller, &info) != 0 && info.dli_fbase == base;
}

/* ---- the table ---------------------------------------------------------------------------- */

XS_EXPORT int xsched_interpose_count(void)
{
    return XS_ENTRIES;
}

XS_EXPORT const char *xsched_interpose_name(int i)
{
    return i >= 0 && i < XS_ENTRIES ? xs_entries[i].name : NULL;
}

XS_EXPORT void *xsched_interpose_real(int i)
{
    return i >= 0 && i < XS_ENTRIES ? xs_slot_real(i) : NULL;
}

XS_EXPORT void xsched_interpose_install(int i, void *handler)
{
    if (i >= 0 && i < XS_ENTRIES)
        atomic_store_explicit(&xs_handler[i], handler, memory_order_release);
}

XS_EXPORT void xsched_interpose_pause(int paused)
{
    atomic_store_explicit(&xs_paused, paused != 0, memory_order_relaxed);
}

XS_EXPORT void xsched_interpose_lane_entry(int i, int laned)
{
    if (i >= 0 && i < XS_ENTRIES)
        atomic_store_explicit(&xs_laned[i], laned != 0, memory_order_relaxed);
}

XS_EXPORT long long *xsched_interpose_lane(unsigned long long stream)
{
    if (stream == XS_STREAM_PER_THREAD)
        return NULL;
    pthread_mutex_lock(&xs_lane_mutex);
    struct xs_lane *lane = xs_lane_make(xs_lane_key(stream));
    pthread_mutex_unlock(&xs_lane_mutex);
    return lane != NULL ? (long long *)&lane->credits : NULL;
}

XS_EXPORT void xsched_interpose_lane_free(unsigned long long stream)
{
    if (stream == XS_STREAM_PER_THREAD)
        return;
    pthread_mutex_lock(&xs_lane_mutex);
    struct xs_lane *lane = xs_lane_at(xs_lane_key(stream));
    if (lane != NULL) {
        atomic_store_explicit(&lane->credits, 0, memory_order_release); /* no wrapper takes one from now on */
        atomic_store_explicit(&lane->key, XS_LANE_GONE, memory_order_release);
        /* every live lane stays within it: a lookup that loads it finds them all */
        atomic_store_explicit(&xs_lane_reach, xs_lane_farthest(), memory_order_release);
    }
    pthread_mutex_unlock(&xs_lane_mutex);
}

XS_EXPORT unsigned xsched_interpose_lane_reach(void)
{
    return atomic_load_explicit(&xs_lane_reach, memory_order_acquire);
}

XS_EXPORT int xsched_nop_launch_kernel(unsigned long long f, unsigned int gx, unsigned int gy, unsigned int gz, unsigned int bx,
                                       unsigned int by, unsigned int bz, unsigned int shared, unsigned long long stream,
                                       unsigned long long params, unsigned long long extra)
{
    (void)f, (void)gx, (void)gy, (void)gz, (void)bx, (void)by, (void)bz, (void)shared, (void)stream, (void)params, (void)extra;
    return 0;
}

XS_EXPORT int xsched_nop_graph_launch(unsigned long long graph, unsigned long long stream)
{
    (void)graph, (void)stream;
    return 0;
}

XS_EXPORT int xsched_nop_stream_synchronize(unsigned long long stream)
{
    (void)stream;
    return 0;
}

void xs_handlers_clear(void)
{
    for (int i = 0; i < XS_ENTRIES; i++) {
        atomic_store_explicit(&xs_laned[i], 0, memory_order_relaxed);
        atomic_store_explicit(&xs_handler[i], NULL, memory_order_release);
    }
}

void xs_bypass_begin(void)
{
    xs_bypass++;
}

void xs_bypass_end(void)
{
    xs_bypass--;
}
