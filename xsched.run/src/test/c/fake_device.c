/*
 * A stand-in libcuda.so.1 with one fake CUDA device, for running xsched's real CUDA backend and
 * `xsched run` agent without a GPU (AgentOnFakeDeviceTest). It offers the driver entry points
 * xsched.backend.cuda binds and calls (CudaNative: platform open, gate probe, level 1 and level 2
 * queues, CudaStreamContexts) plus the few an application needs (cuStreamCreate, modules), and
 * cuGetProcAddress(_v2) over them. Everything else is absent, so xsched treats it as unsupported
 * (no green contexts, no cuFuncGetParamInfo, no _ptsz entry points).
 *
 * The model, as simple as it can be while staying honest:
 *   - one device (ordinal 0, "fake GPU", sm_90, 132 SMs, 80 GiB) and its primary context, the
 *     only context; the current context is per thread;
 *   - streams, events, modules and functions are heap objects that are never freed (a destroyed
 *     or unknown handle is detected, never reused); 0 and CU_STREAM_LEGACY are the legacy stream;
 *     CU_STREAM_PER_THREAD is the calling thread's own stream, made on its first use
 *     (fake_per_thread_streams counts them), whose launch log fake_launch_log(CU_STREAM_PER_THREAD)
 *     gives on that thread — so a test sees on which thread's stream each launch landed;
 *   - device memory is host memory (calloc), and every pointer is checked against the live
 *     allocations;
 *   - each stream runs its operations in order, each as soon as it can: at once when enqueued,
 *     unless an earlier one waits (cuStreamWaitValue32 for a word not yet at its value,
 *     cuStreamWaitEvent for an event whose record has not run); a write to memory (a stream
 *     write, copy, memset or kernel of any stream, or a synchronous copy) lets waiting streams
 *     go on; an event is complete once its latest record has run; synchronizing calls block until
 *     what they wait for has run (as the driver does; a stream left waiting forever hangs them);
 *   - kernels do not run, they are counted per stream with the int their first parameter points
 *     to, in launch order (fake_launches, fake_launch_log). Two exceptions, from xsched.backend.cuda's
 *     conformance/marks.cu, so the conformance kit can check order and exactly-once here: "mark"
 *     does counts[index] += 1, order[index] = ++*clock on device memory after keeping its stream
 *     busy for MARK_NANOS (time advances whenever a call looks at the device), and "held_mark" the
 *     same once a word of device memory is nonzero; both also as rewritten by xsched's PTX guardian,
 *     when their one block leaves while the stop flag is set (see run_mark, finished);
 *   - what this model cannot do honestly (a wait condition other than GEQ) fails with
 *     CUDA_ERROR_NOT_SUPPORTED, says so on stderr and is counted
 *     (fake_unmodelled), so a test can insist it never happened.
 * One lock serializes all calls; only the synchronizing ones block, on a condition of that lock.
 *
 * Link it -Bsymbolic with soname libcuda.so.1, as the real driver behaves. Compiled with
 * -DFAKE_DEVICE_CHECK_CUDA_H against the CUDA toolkit's cuda.h, every definition is checked
 * against the real declaration.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef FAKE_DEVICE_CHECK_CUDA_H
#include <cuda.h>
#undef cuGetProcAddress /* cuda.h maps it to cuGetProcAddress_v2; the driver exports both */
#else
typedef int CUdevice;
typedef int CUdevice_attribute;
typedef int CUjit_option;
typedef int CUstreamCaptureStatus;
typedef int CUstreamCaptureMode;
typedef int CUdriverProcAddressQueryResult;
typedef uint32_t cuuint32_t;
typedef uint64_t cuuint64_t;
typedef unsigned long long CUdeviceptr;
typedef struct CUctx_st *CUcontext;
typedef struct CUmod_st *CUmodule;
typedef struct CUfunc_st *CUfunction;
typedef struct CUstream_st *CUstream;
typedef struct CUevent_st *CUevent;
#endif

#define FAKE_EXPORT __attribute__((visibility("default")))

/* The result codes the fake returns: name, value, cuGetErrorString's text. */
#define FAKE_RESULTS(X)                                                    \
    X(CUDA_SUCCESS, 0, "no error")                                         \
    X(CUDA_ERROR_INVALID_VALUE, 1, "invalid argument")                     \
    X(CUDA_ERROR_OUT_OF_MEMORY, 2, "out of memory")                        \
    X(CUDA_ERROR_NOT_INITIALIZED, 3, "initialization error")               \
    X(CUDA_ERROR_INVALID_DEVICE, 101, "invalid device ordinal")            \
    X(CUDA_ERROR_INVALID_CONTEXT, 201, "invalid device context")           \
    X(CUDA_ERROR_INVALID_HANDLE, 400, "invalid resource handle")           \
    X(CUDA_ERROR_NOT_FOUND, 500, "named symbol not found")                 \
    X(CUDA_ERROR_NOT_READY, 600, "device not ready")                       \
    X(CUDA_ERROR_NOT_SUPPORTED, 801, "operation not supported")

#ifndef FAKE_DEVICE_CHECK_CUDA_H
#define FAKE_ENUM(name, value, text) name = value,
typedef enum cudaError_enum { FAKE_RESULTS(FAKE_ENUM) } CUresult;
#endif
#define FAKE_SAME(name, value, text) _Static_assert(name == value, #name);
FAKE_RESULTS(FAKE_SAME)

#ifdef FAKE_DEVICE_CHECK_CUDA_H
_Static_assert(CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT == 16, "attribute");
_Static_assert(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR == 75, "attribute");
_Static_assert(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR == 76, "attribute");
_Static_assert(CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK == 1, "attribute");
_Static_assert(CU_STREAM_NON_BLOCKING == 1, "stream flag");
_Static_assert(CU_STREAM_WAIT_VALUE_GEQ == 0, "wait flag");
_Static_assert(CU_STREAM_WRITE_VALUE_NO_MEMORY_BARRIER == 1, "write flag");
_Static_assert(CU_STREAM_CAPTURE_STATUS_NONE == 0, "capture status");
_Static_assert(CU_GET_PROC_ADDRESS_PER_THREAD_DEFAULT_STREAM == 2, "proc flag");
_Static_assert(CU_GET_PROC_ADDRESS_VERSION_NOT_SUFFICIENT == 2, "proc status");
#endif

/* ---- state -------------------------------------------------------------------------------- */

enum { K_STREAM = 1, K_EVENT, K_MODULE, K_FUNCTION };

struct fake_object {
    int kind;
    int live;
    struct fake_object *next; /* the registry of every object ever made */
};

struct CUctx_st {
    int retained;
    unsigned flags;
};

/* An operation enqueued on a stream, waiting for its turn. */
enum { OP_KERNEL_MARK, OP_COPY, OP_MEMSET, OP_WAIT_VALUE, OP_WRITE_VALUE, OP_RECORD, OP_WAIT_EVENT };

struct fake_op {
    struct fake_op *next;
    int kind;
    uintptr_t dst, src;     /* copy (src points into staged for a copy from the host), memset */
    size_t bytes, size;     /* copy: bytes; memset: count and element size */
    int directions;         /* copy: TO_DEVICE and/or FROM_DEVICE */
    char *staged;           /* copy from the host: the bytes as they were when enqueued */
    unsigned int value;     /* memset element, wait/write value */
    CUdeviceptr mark[7];    /* a mark's pointer parameters: counts, order, clock, -, [hold,] flag, control */
    int mark_index, guarded, held;
    struct CUevent_st *event;
    long seq;               /* record: the event's record number; wait: the record it waits for */
    long long done_at;      /* a mark: when it ends, on CLOCK_MONOTONIC (0: not started) */
};

/* How long a mark kernel keeps its stream busy: long enough for a queue to be stopped while work
 * runs and held behind a gate, short enough for thousands of them. */
#define MARK_NANOS 20000LL

struct CUstream_st {
    struct fake_object o;
    long launches;
    int *log; /* *kernelParams[0] of each launch, in order (-1: no parameter) */
    long log_cap;
    struct fake_op *head, *tail; /* what has not run yet, in order */
    struct CUstream_st *next_stream;
};

struct CUevent_st {
    struct fake_object o;
    long recorded; /* records enqueued */
    long reached;  /* the latest record that ran */
};

struct CUmod_st {
    struct fake_object o;
    int guarded; /* PTX rewritten by xsched's guardian: its kernels take a stop flag and a control block last */
};

struct CUfunc_st {
    struct fake_object o;
    CUmodule module;
    int runs_mark; /* named "mark" (1) or "held_mark" (2): run as the conformance kit's marks.cu */
    int guarded;   /* of a guarded module */
};

struct fake_alloc {
    char *base;
    size_t size;
    int live;
    int host; /* cuMemAllocHost */
};

static pthread_mutex_t fake_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t fake_progress = PTHREAD_COND_INITIALIZER; /* an operation ran */
static int fake_initialized;
static struct CUctx_st fake_primary;
static struct CUstream_st fake_legacy = {.o = {K_STREAM, 1, NULL}};
static struct fake_object *fake_objects;
static struct CUstream_st *fake_streams = &fake_legacy; /* every stream ever made, for running their operations */
static struct fake_alloc *fake_allocs;
static size_t fake_alloc_count, fake_alloc_cap;
static long fake_unmodelled_count;
static long fake_stopped_count; /* guarded marks that found the stop flag set */
static long fake_marks_started;  /* marks that began to run */
static _Thread_local CUcontext fake_current;
static _Thread_local struct CUstream_st *fake_per_thread; /* the calling thread's CU_STREAM_PER_THREAD, once used */
static long fake_per_thread_count;
static _Thread_local CUstreamCaptureMode fake_capture_mode; /* CU_STREAM_CAPTURE_MODE_GLOBAL */

#define CU_STREAM_LEGACY_HANDLE ((CUstream)0x1)
#define CU_STREAM_PER_THREAD_HANDLE ((CUstream)0x2)

#define LOCKED(expr)                          \
    do {                                      \
        pthread_mutex_lock(&fake_lock);       \
        CUresult rc_ = (expr);                \
        pthread_mutex_unlock(&fake_lock);     \
        return rc_;                           \
    } while (0)

static CUresult unmodelled(const char *what)
{
    fake_unmodelled_count++;
    fprintf(stderr, "fake libcuda: not modelled: %s\n", what);
    return CUDA_ERROR_NOT_SUPPORTED;
}

static void *object_new(size_t size, int kind)
{
    struct fake_object *o = calloc(1, size);
    if (o == NULL)
        return NULL;
    o->kind = kind;
    o->live = 1;
    o->next = fake_objects;
    fake_objects = o;
    return o;
}

/* The live object of this kind behind a handle, or NULL. */
static void *object_find(const void *handle, int kind)
{
    for (struct fake_object *o = fake_objects; o != NULL; o = o->next)
        if ((const void *)o == handle)
            return o->live && o->kind == kind ? o : NULL;
    return NULL;
}

/* What every call but the few that need no initialization checks first. */
static CUresult ready(void)
{
    if (!fake_initialized)
        return CUDA_ERROR_NOT_INITIALIZED;
    return CUDA_SUCCESS;
}

static CUresult ready_in_context(void)
{
    if (!fake_initialized)
        return CUDA_ERROR_NOT_INITIALIZED;
    if (fake_current == NULL)
        return CUDA_ERROR_INVALID_CONTEXT;
    return CUDA_SUCCESS;
}

/* The stream behind a handle: 0 and CU_STREAM_LEGACY are the current context's legacy stream. */
static CUresult stream_of(CUstream handle, struct CUstream_st **out)
{
    CUresult rc = ready();
    if (rc != CUDA_SUCCESS)
        return rc;
    if (handle == NULL || handle == CU_STREAM_LEGACY_HANDLE) {
        if (fake_current == NULL)
            return CUDA_ERROR_INVALID_CONTEXT;
        *out = &fake_legacy;
        return CUDA_SUCCESS;
    }
    if (handle == CU_STREAM_PER_THREAD_HANDLE) {
        if (fake_current == NULL)
            return CUDA_ERROR_INVALID_CONTEXT;
        if (fake_per_thread == NULL) {
            fake_per_thread = object_new(sizeof *fake_per_thread, K_STREAM);
            if (fake_per_thread == NULL)
                return CUDA_ERROR_OUT_OF_MEMORY;
            fake_per_thread->next_stream = fake_streams;
            fake_streams = fake_per_thread;
            fake_per_thread_count++;
        }
        *out = fake_per_thread;
        return CUDA_SUCCESS;
    }
    *out = object_find(handle, K_STREAM);
    return *out != NULL ? CUDA_SUCCESS : CUDA_ERROR_INVALID_HANDLE;
}

/* [pointer, pointer + bytes) inside one live allocation of the given sort. */
static CUresult memory_at(uintptr_t pointer, size_t bytes, int host, char **out)
{
    for (size_t i = 0; i < fake_alloc_count; i++) {
        struct fake_alloc *a = &fake_allocs[i];
        uintptr_t base = (uintptr_t)a->base;
        if (a->live && a->host == host && pointer >= base && pointer - base <= a->size
            && bytes <= a->size - (pointer - base)) {
            *out = (char *)pointer;
            return CUDA_SUCCESS;
        }
    }
    return CUDA_ERROR_INVALID_VALUE;
}

static CUresult device_memory(CUdeviceptr pointer, size_t bytes, char **out)
{
    return memory_at((uintptr_t)pointer, bytes, 0, out);
}

enum { TO_DEVICE = 1, FROM_DEVICE = 2 };

/* ---- stream work: each stream runs its operations in order, each as soon as it can -------- */

static void run_mark(const struct fake_op *op);

static int runnable(const struct fake_op *op)
{
    char *word;
    switch (op->kind) {
    case OP_WAIT_VALUE:
        /* the word may have been freed since: then the wait can never end, as on a GPU */
        return device_memory(op->dst, 4, &word) == CUDA_SUCCESS
               && (int32_t)(__atomic_load_n((cuuint32_t *)(void *)word, __ATOMIC_SEQ_CST) - op->value) >= 0;
    case OP_WAIT_EVENT:
        return op->event->reached >= op->seq;
    default:
        return 1;
    }
}

/* Runs one operation; memory freed since it was enqueued is left alone (said on stderr). */
static void execute(const struct fake_op *op)
{
    char *to, *from;
    switch (op->kind) {
    case OP_KERNEL_MARK:
        run_mark(op);
        return;
    case OP_COPY:
        to = (char *)op->dst;
        from = op->staged != NULL ? op->staged : (char *)op->src;
        if ((op->directions & TO_DEVICE) && device_memory(op->dst, op->bytes, &to) != CUDA_SUCCESS)
            break;
        if ((op->directions & FROM_DEVICE) && device_memory(op->src, op->bytes, &from) != CUDA_SUCCESS)
            break;
        memmove(to, from, op->bytes);
        return;
    case OP_MEMSET:
        if (device_memory(op->dst, op->bytes * op->size, &to) != CUDA_SUCCESS)
            break;
        for (size_t i = 0; i < op->bytes; i++)
            memcpy(to + i * op->size, &op->value, op->size);
        return;
    case OP_WRITE_VALUE:
        if (device_memory(op->dst, 4, &to) != CUDA_SUCCESS)
            break;
        __atomic_store_n((cuuint32_t *)(void *)to, op->value, __ATOMIC_SEQ_CST);
        return;
    case OP_RECORD:
        if (op->seq > op->event->reached)
            op->event->reached = op->seq;
        return;
    default:
        return;
    }
    fprintf(stderr, "fake libcuda: an operation found its memory freed when its turn came; skipped\n");
}

static long long now_nanos(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long word_at(CUdeviceptr pointer);

/*
 * A mark at the head of its stream starts now if it has not, and is done once its time is up; a
 * held mark not before its hold word is nonzero. A guarded one is done at once when its queue's
 * stop flag is set (its block leaves without claiming a ticket).
 */
static int finished(struct fake_op *op)
{
    if (op->kind != OP_KERNEL_MARK)
        return 1;
    long long now = now_nanos();
    if (op->done_at == 0) {
        op->done_at = now + MARK_NANOS;
        fake_marks_started++;
    }
    if (op->guarded && word_at(op->mark[op->held ? 5 : 4]) > 0)
        return 1;
    if (op->held && word_at(op->mark[4]) == 0)
        return 0;
    return now >= op->done_at;
}

/* Runs what can run on every stream until nothing more can; wakes the synchronizing calls. */
static void run_streams(void)
{
    int progress, any = 0;
    do {
        progress = 0;
        for (struct CUstream_st *s = fake_streams; s != NULL; s = s->next_stream) {
            while (s->head != NULL && runnable(s->head) && finished(s->head)) {
                struct fake_op *op = s->head;
                execute(op);
                s->head = op->next;
                if (s->head == NULL)
                    s->tail = NULL;
                free(op->staged);
                free(op);
                progress = any = 1;
            }
        }
    } while (progress);
    if (any)
        pthread_cond_broadcast(&fake_progress);
}

/* Takes op (heap) onto the end of the stream, then runs what can run. */
static CUresult enqueue_op(struct CUstream_st *s, struct fake_op *op)
{
    op->next = NULL;
    if (s->tail != NULL)
        s->tail->next = op;
    else
        s->head = op;
    s->tail = op;
    run_streams();
    return CUDA_SUCCESS;
}

static struct fake_op *op_new(int kind)
{
    struct fake_op *op = calloc(1, sizeof *op);
    if (op != NULL)
        op->kind = kind;
    return op;
}

static int stream_idle(const struct CUstream_st *s)
{
    return s->head == NULL;
}

/* A synchronizing call's wait: until an operation runs, or a little time passed for a running mark. */
static void await_progress(void)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += MARK_NANOS / 2;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&fake_progress, &fake_lock, &until);
    run_streams();
}

static int all_idle(void)
{
    for (struct CUstream_st *s = fake_streams; s != NULL; s = s->next_stream)
        if (s->head != NULL)
            return 0;
    return 1;
}


static CUresult allocate(size_t bytes, int host, void **out)
{
    if (bytes == 0)
        return CUDA_ERROR_INVALID_VALUE;
    if (fake_alloc_count == fake_alloc_cap) {
        size_t cap = fake_alloc_cap == 0 ? 16 : 2 * fake_alloc_cap;
        struct fake_alloc *grown = realloc(fake_allocs, cap * sizeof *grown);
        if (grown == NULL)
            return CUDA_ERROR_OUT_OF_MEMORY;
        fake_allocs = grown;
        fake_alloc_cap = cap;
    }
    char *base = calloc(1, (bytes + 255) & ~(size_t)255);
    if (base == NULL)
        return CUDA_ERROR_OUT_OF_MEMORY;
    fake_allocs[fake_alloc_count++] = (struct fake_alloc){base, bytes, 1, host};
    *out = base;
    return CUDA_SUCCESS;
}

static CUresult release(uintptr_t pointer, int host)
{
    for (size_t i = 0; i < fake_alloc_count; i++) {
        struct fake_alloc *a = &fake_allocs[i];
        if (a->live && a->host == host && (uintptr_t)a->base == pointer) {
            a->live = 0;
            free(a->base);
            return CUDA_SUCCESS;
        }
    }
    return CUDA_ERROR_INVALID_VALUE;
}

/* ---- errors, initialization, device ------------------------------------------------------ */

#define FAKE_ROW(name, value, text) {name, #name, text},
static const struct {
    CUresult code;
    const char *name;
    const char *text;
} fake_errors[] = {FAKE_RESULTS(FAKE_ROW)};

static CUresult describe(CUresult error, const char **out, int text)
{
    if (out == NULL)
        return CUDA_ERROR_INVALID_VALUE;
    for (size_t i = 0; i < sizeof fake_errors / sizeof *fake_errors; i++)
        if (fake_errors[i].code == error) {
            *out = text ? fake_errors[i].text : fake_errors[i].name;
            return CUDA_SUCCESS;
        }
    *out = NULL;
    return CUDA_ERROR_INVALID_VALUE;
}

FAKE_EXPORT CUresult cuGetErrorName(CUresult error, const char **pStr)
{
    return describe(error, pStr, 0);
}

FAKE_EXPORT CUresult cuGetErrorString(CUresult error, const char **pStr)
{
    return describe(error, pStr, 1);
}

FAKE_EXPORT CUresult cuInit(unsigned int Flags)
{
    if (Flags != 0)
        return CUDA_ERROR_INVALID_VALUE;
    pthread_mutex_lock(&fake_lock);
    fake_initialized = 1;
    pthread_mutex_unlock(&fake_lock);
    return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuDriverGetVersion(int *driverVersion)
{
    if (driverVersion == NULL)
        return CUDA_ERROR_INVALID_VALUE;
    *driverVersion = 12080;
    return CUDA_SUCCESS;
}

static CUresult device_ok(CUdevice dev)
{
    CUresult rc = ready();
    return rc != CUDA_SUCCESS ? rc : dev == 0 ? CUDA_SUCCESS : CUDA_ERROR_INVALID_DEVICE;
}

static CUresult device_count(int *count)
{
    CUresult rc = ready();
    if (rc == CUDA_SUCCESS)
        *count = 1;
    return rc;
}

FAKE_EXPORT CUresult cuDeviceGetCount(int *count)
{
    if (count == NULL)
        return CUDA_ERROR_INVALID_VALUE;
    LOCKED(device_count(count));
}

static CUresult device_get(CUdevice *device, int ordinal)
{
    CUresult rc = ready();
    if (rc != CUDA_SUCCESS)
        return rc;
    if (ordinal != 0)
        return CUDA_ERROR_INVALID_DEVICE;
    *device = 0;
    return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuDeviceGet(CUdevice *device, int ordinal)
{
    if (device == NULL)
        return CUDA_ERROR_INVALID_VALUE;
    LOCKED(device_get(device, ordinal));
}

static CUresult device_name(char *name, int len, CUdevice dev)
{
    CUresult rc = device_ok(dev);
    if (rc == CUDA_SUCCESS)
        snprintf(name, (size_t)len, "%s", "fake GPU");
    return rc;
}

FAKE_EXPORT CUresult cuDeviceGetName(char *name, int len, CUdevice dev)
{
    if (name == NULL || len <= 0)
        return CUDA_ERROR_INVALID_VALUE;
    LOCKED(device_name(name, len, dev));
}

static CUresult device_attribute(int *pi, CUdevice_attribute attrib, CUdevice dev)
{
    CUresult rc = device_ok(dev);
    if (rc != CUDA_SUCCESS)
        return rc;
    switch ((int)attrib) {
    case 1: /* CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK */
        *pi = 1024;
        return CUDA_SUCCESS;
    case 16: /* CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT */
        *pi = 132;
        return CUDA_SUCCESS;
    case 75: /* CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR */
        *pi = 9;
        return CUDA_SUCCESS;
    case 76: /* CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR */
        *pi = 0;
        return CUDA_SUCCESS;
    default:
        return CUDA_ERROR_INVALID_VALUE;
    }
}

FAKE_EXPORT CUresult cuDeviceGetAttribute(int *pi, CUdevice_attribute attrib, CUdevice dev)
{
    if (pi == NULL)
        return CUDA_ERROR_INVALID_VALUE;
    LOCKED(device_attribute(pi, attrib, dev));
}

static CUresult device_memory_size(size_t *bytes, CUdevice dev)
{
    CUresult rc = device_ok(dev);
    if (rc == CUDA_SUCCESS)
        *bytes = (size_t)80 << 30;
    return rc;
}

FAKE_EXPORT CUresult cuDeviceTotalMem_v2(size_t *bytes, CUdevice dev)
{
    if (bytes == NULL)
        return CUDA_ERROR_INVALID_VALUE;
    LOCKED(device_memory_size(bytes, dev));
}

/* ---- the primary context ------------------------------------------------------------------ */

static CUresult primary_retain(CUcontext *pctx, CUdevice dev)
{
    CUresult rc = device_ok(dev);
    if (rc != CUDA_SUCCESS)
        return rc;
    fake_primary.retained++;
    *pctx = &fake_primary;
    return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuDevicePrimaryCtxRetain(CUcontext *pctx, CUdevice dev)
{
    if (pctx == NULL)
        return CUDA_ERROR_INVALID_VALUE;
    LOCKED(primary_retain(pctx, dev));
}

static CUresult primary_release(CUdevice dev)
{
    CUresult rc = device_ok(dev);
    if (rc != CUDA_SUCCESS)
        return rc;
    if (fake_primary.retained == 0)
        return CUDA_ERROR_INVALID_CONTEXT;
    fake_primary.retained--;
    return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuDevicePrimaryCtxRelease_v2(CUdevice dev)
{
    LOCKED(primary_release(dev));
}

static CUresult primary_set_flags(CUdevice dev, unsigned int flags)
{
    CUresult rc = device_ok(dev);
    if (rc != CUDA_SUCCESS)
        return rc;
    if ((flags & ~0x1fu) != 0) /* schedule (0x7), map host, local memory resize */
        return CUDA_ERROR_INVALID_VALUE;
    fake_primary.flags = flags;
    return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuDevicePrimaryCtxSetFlags_v2(CUdevice dev, unsigned int flags)
{
    LOCKED(primary_set_flags(dev, flags));
}

static CUresult primary_state(CUdevice dev, unsigned int *flags, int *active)
{
    CUresult rc = device_ok(dev);
    if (rc != CUDA_SUCCESS)
        return rc;
    *flags = fake_primary.flags;
    *active = fake_primary.retained > 0;
    return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuDevicePrimaryCtxGetState(CUdevice dev, unsigned int *flags, int *active)
{
    if (flags == NULL || active == NULL)
        return CUDA_ERROR_INVALID_VALUE;
    LOCKED(primary_state(dev, flags, active));
}

static CUresult context_set(CUcontext ctx)
{
    CUresult rc = ready();
    if (rc != CUDA_SUCCESS)
        return rc;
    if (ctx != NULL && (ctx != &fake_primary || fake_primary.retained == 0))
        return CUDA_ERROR_INVALID_CONTEXT;
    fake_current = ctx;
    return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuCtxSetCurrent(CUcontext ctx)
{
    LOCKED(context_set(ctx));
}

FAKE_EXPORT CUresult cuCtxGetCurrent(CUcontext *pctx)
{
    if (pctx == NULL)
        return CUDA_ERROR_INVALID_VALUE;
    pthread_mutex_lock(&fake_lock);
    CUresult rc = ready();
    if (rc == CUDA_SUCCESS)
        *pctx = fake_current;
    pthread_mutex_unlock(&fake_lock);
    return rc;
}

static CUresult context_synchronize(void)
{
    CUresult rc = ready_in_context();
    while (rc == CUDA_SUCCESS && !all_idle())
        await_progress();
    return rc;
}

/* Blocks until everything enqueued on every stream has run (the context is the only one). */
FAKE_EXPORT CUresult cuCtxSynchronize(void)
{
    LOCKED(context_synchronize());
}

static CUresult priority_range(int *least, int *greatest)
{
    CUresult rc = ready_in_context();
    if (rc != CUDA_SUCCESS)
        return rc;
    if (least != NULL)
        *least = 0;
    if (greatest != NULL)
        *greatest = -5;
    return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuCtxGetStreamPriorityRange(int *leastPriority, int *greatestPriority)
{
    LOCKED(priority_range(leastPriority, greatestPriority));
}

/* ---- modules: any image loads, any name is a kernel --------------------------------------- */

static CUresult module_load(CUmodule *module, const void *image)
{
    CUresult rc = ready_in_context();
    if (rc != CUDA_SUCCESS)
        return rc;
    *module = object_new(sizeof **module, K_MODULE);
    if (*module == NULL)
        return CUDA_ERROR_OUT_OF_MEMORY;
    /* PTX is text ending in NUL; a cubin or fatbin is never guarded */
    (*module)->guarded = strstr((const char *)image, ".param .u64 __xsched_stop_flag") != NULL;
    return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuModuleLoadDataEx(CUmodule *module, const void *image, unsigned int numOptions,
                                        CUjit_option *options, void **optionValues)
{
    (void)options, (void)optionValues;
    if (module == NULL || image == NULL || (numOptions > 0 && (options == NULL || optionValues == NULL)))
        return CUDA_ERROR_INVALID_VALUE;
    LOCKED(module_load(module, image));
}

static CUresult module_unload(CUmodule hmod)
{
    CUresult rc = ready();
    if (rc != CUDA_SUCCESS)
        return rc;
    struct CUmod_st *m = object_find(hmod, K_MODULE);
    if (m == NULL)
        return CUDA_ERROR_INVALID_HANDLE;
    m->o.live = 0;
    for (struct fake_object *o = fake_objects; o != NULL; o = o->next)
        if (o->kind == K_FUNCTION && ((struct CUfunc_st *)o)->module == hmod)
            o->live = 0;
    return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuModuleUnload(CUmodule hmod)
{
    LOCKED(module_unload(hmod));
}

static CUresult module_function(CUfunction *hfunc, CUmodule hmod, const char *name)
{
    CUresult rc = ready_in_context();
    if (rc != CUDA_SUCCESS)
        return rc;
    if (object_find(hmod, K_MODULE) == NULL)
        return CUDA_ERROR_INVALID_HANDLE;
    struct CUfunc_st *f = object_new(sizeof *f, K_FUNCTION);
    if (f == NULL)
        return CUDA_ERROR_OUT_OF_MEMORY;
    f->module = hmod;
    f->runs_mark = strcmp(name, "mark") == 0 ? 1 : strcmp(name, "held_mark") == 0 ? 2 : 0;
    f->guarded = ((struct CUmod_st *)hmod)->guarded;
    *hfunc = f;
    return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuModuleGetFunction(CUfunction *hfunc, CUmodule hmod, const char *name)
{
    if (hfunc == NULL || name == NULL)
        return CUDA_ERROR_INVALID_VALUE;
    LOCKED(module_function(hfunc, hmod, name));
}

/* ---- memory ------------------------------------------------------------------------------- */

static CUresult mem_alloc(CUdeviceptr *dptr, size_t bytesize)
{
    CUresult rc = ready_in_context();
    void *p = NULL;
    if (rc == CUDA_SUCCESS && (rc = allocate(bytesize, 0, &p)) == CUDA_SUCCESS)
        *dptr = (CUdeviceptr)(uintptr_t)p;
    return rc;
}

FAKE_EXPORT CUresult cuMemAlloc_v2(CUdeviceptr *dptr, size_t bytesize)
{
    if (dptr == NULL)
        return CUDA_ERROR_INVALID_VALUE;
    LOCKED(mem_alloc(dptr, bytesize));
}

static CUresult mem_free(uintptr_t pointer, int host)
{
    CUresult rc = ready_in_context();
    return rc != CUDA_SUCCESS ? rc : release(pointer, host);
}

FAKE_EXPORT CUresult cuMemFree_v2(CUdeviceptr dptr)
{
    LOCKED(mem_free((uintptr_t)dptr, 0));
}

static CUresult mem_alloc_host(void **pp, size_t bytesize)
{
    CUresult rc = ready_in_context();
    return rc != CUDA_SUCCESS ? rc : allocate(bytesize, 1, pp);
}

FAKE_EXPORT CUresult cuMemAllocHost_v2(void **pp, size_t bytesize)
{
    if (pp == NULL)
        return CUDA_ERROR_INVALID_VALUE;
    LOCKED(mem_alloc_host(pp, bytesize));
}

FAKE_EXPORT CUresult cuMemFreeHost(void *p)
{
    LOCKED(mem_free((uintptr_t)p, 1));
}

/* A copy: on a stream in its turn, or synchronous (now, in the current context). */

static CUresult copy(uintptr_t dst, uintptr_t src, size_t bytes, int directions, int on_stream, CUstream hStream)
{
    struct CUstream_st *s;
    CUresult rc = on_stream ? stream_of(hStream, &s) : ready_in_context();
    char *to = (char *)dst, *from = (char *)src;
    if (rc == CUDA_SUCCESS && (directions & TO_DEVICE))
        rc = device_memory(dst, bytes, &to);
    if (rc == CUDA_SUCCESS && (directions & FROM_DEVICE))
        rc = device_memory(src, bytes, &from);
    if (rc == CUDA_SUCCESS && (to == NULL || from == NULL))
        rc = CUDA_ERROR_INVALID_VALUE;
    if (rc != CUDA_SUCCESS)
        return rc;
    if (!on_stream) {
        memmove(to, from, bytes);
        run_streams(); /* a stream may wait for what was written */
        return CUDA_SUCCESS;
    }
    struct fake_op *op = op_new(OP_COPY);
    if (op == NULL)
        return CUDA_ERROR_OUT_OF_MEMORY;
    op->dst = dst;
    op->src = src;
    op->bytes = bytes;
    op->directions = directions;
    if (!(directions & FROM_DEVICE)) { /* the host's bytes as they are now, as the driver stages them */
        op->staged = malloc(bytes > 0 ? bytes : 1);
        if (op->staged == NULL) {
            free(op);
            return CUDA_ERROR_OUT_OF_MEMORY;
        }
        memcpy(op->staged, from, bytes);
    }
    return enqueue_op(s, op);
}

FAKE_EXPORT CUresult cuMemcpyHtoD_v2(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount)
{
    LOCKED(copy((uintptr_t)dstDevice, (uintptr_t)srcHost, ByteCount, TO_DEVICE, 0, NULL));
}

FAKE_EXPORT CUresult cuMemcpyDtoH_v2(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount)
{
    LOCKED(copy((uintptr_t)dstHost, (uintptr_t)srcDevice, ByteCount, FROM_DEVICE, 0, NULL));
}

FAKE_EXPORT CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount, CUstream hStream)
{
    LOCKED(copy((uintptr_t)dstDevice, (uintptr_t)srcHost, ByteCount, TO_DEVICE, 1, hStream));
}

FAKE_EXPORT CUresult cuMemcpyDtoHAsync_v2(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)
{
    LOCKED(copy((uintptr_t)dstHost, (uintptr_t)srcDevice, ByteCount, FROM_DEVICE, 1, hStream));
}

FAKE_EXPORT CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)
{
    LOCKED(copy((uintptr_t)dstDevice, (uintptr_t)srcDevice, ByteCount, TO_DEVICE | FROM_DEVICE, 1, hStream));
}

static CUresult memset_on(CUdeviceptr dst, const void *value, size_t size, size_t count, CUstream hStream)
{
    struct CUstream_st *s;
    char *to;
    CUresult rc = stream_of(hStream, &s);
    if (rc == CUDA_SUCCESS && size > 1 && dst % size != 0)
        rc = CUDA_ERROR_INVALID_VALUE;
    if (rc == CUDA_SUCCESS && count > SIZE_MAX / size)
        rc = CUDA_ERROR_INVALID_VALUE;
    if (rc == CUDA_SUCCESS)
        rc = device_memory(dst, count * size, &to);
    if (rc != CUDA_SUCCESS)
        return rc;
    struct fake_op *op = op_new(OP_MEMSET);
    if (op == NULL)
        return CUDA_ERROR_OUT_OF_MEMORY;
    op->dst = dst;
    op->bytes = count;
    op->size = size;
    memcpy(&op->value, value, size);
    return enqueue_op(s, op);
}

FAKE_EXPORT CUresult cuMemsetD8Async(CUdeviceptr dstDevice, unsigned char uc, size_t N, CUstream hStream)
{
    LOCKED(memset_on(dstDevice, &uc, 1, N, hStream));
}

FAKE_EXPORT CUresult cuMemsetD32Async(CUdeviceptr dstDevice, unsigned int ui, size_t N, CUstream hStream)
{
    LOCKED(memset_on(dstDevice, &ui, 4, N, hStream));
}

/* ---- streams ------------------------------------------------------------------------------ */

static CUresult stream_create(CUstream *phStream, unsigned int Flags)
{
    CUresult rc = ready_in_context();
    if (rc != CUDA_SUCCESS)
        return rc;
    if ((Flags & ~0x1u) != 0) /* CU_STREAM_NON_BLOCKING */
        return CUDA_ERROR_INVALID_VALUE;
    *phStream = object_new(sizeof **phStream, K_STREAM);
    if (*phStream == NULL)
        return CUDA_ERROR_OUT_OF_MEMORY;
    (*phStream)->next_stream = fake_streams;
    fake_streams = *phStream;
    return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuStreamCreate(CUstream *phStream, unsigned int Flags)
{
    if (phStream == NULL)
        return CUDA_ERROR_INVALID_VALUE;
    LOCKED(stream_create(phStream, Flags));
}

/* Priorities are accepted (clamped, as the driver does) and have no effect: work runs when it can. */
FAKE_EXPORT CUresult cuStreamCreateWithPriority(CUstream *phStream, unsigned int flags, int priority)
{
    (void)priority;
    if (phStream == NULL)
        return CUDA_ERROR_INVALID_VALUE;
    LOCKED(stream_create(phStream, flags));
}

static CUresult stream_destroy(CUstream hStream)
{
    CUresult rc = ready();
    if (rc != CUDA_SUCCESS)
        return rc;
    struct CUstream_st *s = object_find(hStream, K_STREAM);
    if (s == NULL)
        return CUDA_ERROR_INVALID_HANDLE;
    s->o.live = 0; /* its launch log stays for fake_launch_log; what it has not run yet still runs */
    return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuStreamDestroy_v2(CUstream hStream)
{
    LOCKED(stream_destroy(hStream));
}

static CUresult stream_check(CUstream hStream)
{
    struct CUstream_st *s;
    return stream_of(hStream, &s);
}

static CUresult stream_synchronize(CUstream hStream)
{
    struct CUstream_st *s;
    CUresult rc = stream_of(hStream, &s);
    while (rc == CUDA_SUCCESS && !stream_idle(s))
        await_progress();
    return rc;
}

/* Blocks until everything enqueued on the stream has run. */
FAKE_EXPORT CUresult cuStreamSynchronize(CUstream hStream)
{
    LOCKED(stream_synchronize(hStream));
}

static CUresult stream_context(CUstream hStream, CUcontext *pctx)
{
    CUresult rc = stream_check(hStream);
    if (rc == CUDA_SUCCESS)
        *pctx = hStream == NULL || hStream == CU_STREAM_LEGACY_HANDLE || hStream == CU_STREAM_PER_THREAD_HANDLE ? fake_current
                                                                                                             : &fake_primary;
    return rc;
}

FAKE_EXPORT CUresult cuStreamGetCtx(CUstream hStream, CUcontext *pctx)
{
    if (pctx == NULL)
        return CUDA_ERROR_INVALID_VALUE;
    LOCKED(stream_context(hStream, pctx));
}

/* Nothing is ever captured: the fake has no graphs. */
static CUresult stream_capturing(CUstream hStream, CUstreamCaptureStatus *captureStatus)
{
    CUresult rc = stream_check(hStream);
    if (rc == CUDA_SUCCESS)
        *captureStatus = 0; /* CU_STREAM_CAPTURE_STATUS_NONE */
    return rc;
}

FAKE_EXPORT CUresult cuStreamIsCapturing(CUstream hStream, CUstreamCaptureStatus *captureStatus)
{
    if (captureStatus == NULL)
        return CUDA_ERROR_INVALID_VALUE;
    LOCKED(stream_capturing(hStream, captureStatus));
}

FAKE_EXPORT CUresult cuThreadExchangeStreamCaptureMode(CUstreamCaptureMode *mode)
{
    if (mode == NULL || (int)*mode < 0 || (int)*mode > 2)
        return CUDA_ERROR_INVALID_VALUE;
    CUstreamCaptureMode old = fake_capture_mode;
    fake_capture_mode = *mode;
    *mode = old;
    return CUDA_SUCCESS;
}

static CUresult stream_wait_event(CUstream hStream, CUevent hEvent, unsigned int Flags)
{
    struct CUstream_st *s;
    CUresult rc = stream_of(hStream, &s);
    if (rc != CUDA_SUCCESS)
        return rc;
    if (Flags != 0)
        return CUDA_ERROR_INVALID_VALUE;
    if (object_find(hEvent, K_EVENT) == NULL)
        return CUDA_ERROR_INVALID_HANDLE;
    struct fake_op *op = op_new(OP_WAIT_EVENT);
    if (op == NULL)
        return CUDA_ERROR_OUT_OF_MEMORY;
    op->event = hEvent;
    op->seq = hEvent->recorded; /* the record made last before this call */
    return enqueue_op(s, op);
}

/* The stream's later work waits until the event's latest record (at the time of the call) has run. */
FAKE_EXPORT CUresult cuStreamWaitEvent(CUstream hStream, CUevent hEvent, unsigned int Flags)
{
    LOCKED(stream_wait_event(hStream, hEvent, Flags));
}

static CUresult stream_value(CUstream hStream, CUdeviceptr addr, cuuint32_t value, unsigned int flags, int write)
{
    char *word;
    struct CUstream_st *s;
    CUresult rc = stream_of(hStream, &s);
    if (rc == CUDA_SUCCESS && addr % 4 != 0)
        rc = CUDA_ERROR_INVALID_VALUE;
    if (rc == CUDA_SUCCESS)
        rc = device_memory(addr, 4, &word);
    if (rc != CUDA_SUCCESS)
        return rc;
    if (write && (flags & ~0x1u) != 0) /* CU_STREAM_WRITE_VALUE_NO_MEMORY_BARRIER */
        return CUDA_ERROR_INVALID_VALUE;
    if (!write && (flags & 0x3u) != 0) /* only CU_STREAM_WAIT_VALUE_GEQ is modelled */
        return unmodelled("cuStreamWaitValue32 with a condition other than GEQ");
    struct fake_op *op = op_new(write ? OP_WRITE_VALUE : OP_WAIT_VALUE);
    if (op == NULL)
        return CUDA_ERROR_OUT_OF_MEMORY;
    op->dst = addr;
    op->value = value;
    return enqueue_op(s, op);
}

FAKE_EXPORT CUresult cuStreamWaitValue32_v2(CUstream stream, CUdeviceptr addr, cuuint32_t value, unsigned int flags)
{
    LOCKED(stream_value(stream, addr, value, flags, 0));
}

FAKE_EXPORT CUresult cuStreamWriteValue32_v2(CUstream stream, CUdeviceptr addr, cuuint32_t value, unsigned int flags)
{
    LOCKED(stream_value(stream, addr, value, flags, 1));
}

/* ---- events: complete once their latest record has run ------------------------------------ */

static CUresult event_create(CUevent *phEvent, unsigned int Flags)
{
    CUresult rc = ready_in_context();
    if (rc != CUDA_SUCCESS)
        return rc;
    if ((Flags & ~0x7u) != 0) /* blocking sync, disable timing, interprocess */
        return CUDA_ERROR_INVALID_VALUE;
    *phEvent = object_new(sizeof **phEvent, K_EVENT);
    return *phEvent != NULL ? CUDA_SUCCESS : CUDA_ERROR_OUT_OF_MEMORY;
}

FAKE_EXPORT CUresult cuEventCreate(CUevent *phEvent, unsigned int Flags)
{
    if (phEvent == NULL)
        return CUDA_ERROR_INVALID_VALUE;
    LOCKED(event_create(phEvent, Flags));
}

static CUresult event_check(CUevent hEvent)
{
    CUresult rc = ready();
    if (rc == CUDA_SUCCESS && object_find(hEvent, K_EVENT) == NULL)
        rc = CUDA_ERROR_INVALID_HANDLE;
    return rc;
}

static CUresult event_record(CUevent hEvent, CUstream hStream)
{
    struct CUstream_st *s;
    CUresult rc = stream_of(hStream, &s);
    if (rc == CUDA_SUCCESS)
        rc = event_check(hEvent);
    if (rc != CUDA_SUCCESS)
        return rc;
    struct fake_op *op = op_new(OP_RECORD);
    if (op == NULL)
        return CUDA_ERROR_OUT_OF_MEMORY;
    op->event = hEvent;
    op->seq = ++hEvent->recorded;
    return enqueue_op(s, op);
}

FAKE_EXPORT CUresult cuEventRecord(CUevent hEvent, CUstream hStream)
{
    LOCKED(event_record(hEvent, hStream));
}

static CUresult event_query(CUevent hEvent)
{
    run_streams();
    CUresult rc = event_check(hEvent);
    if (rc == CUDA_SUCCESS && hEvent->reached < hEvent->recorded)
        rc = CUDA_ERROR_NOT_READY;
    return rc;
}

FAKE_EXPORT CUresult cuEventQuery(CUevent hEvent)
{
    LOCKED(event_query(hEvent));
}

static CUresult event_synchronize(CUevent hEvent)
{
    CUresult rc = event_check(hEvent);
    while (rc == CUDA_SUCCESS && hEvent->reached < hEvent->recorded)
        await_progress();
    return rc;
}

FAKE_EXPORT CUresult cuEventSynchronize(CUevent hEvent)
{
    LOCKED(event_synchronize(hEvent));
}

static CUresult event_destroy(CUevent hEvent)
{
    CUresult rc = event_check(hEvent);
    if (rc == CUDA_SUCCESS)
        ((struct fake_object *)hEvent)->live = 0;
    return rc;
}

FAKE_EXPORT CUresult cuEventDestroy_v2(CUevent hEvent)
{
    LOCKED(event_destroy(hEvent));
}

/* ---- kernels: counted and logged, never run (but for the conformance kit's mark) ---------- */

/*
 * mark(unsigned *counts, unsigned *order, unsigned *clock, int index), as marks.cu does it; a
 * guarded mark (its module rewritten by the guardian) takes the stop flag and the control block
 * after those. Checked when launched (its memory must exist), run in its turn; a guarded mark's
 * one block runs as the guardian's prologue says: not at all while the flag is set, else only if
 * it takes the first ticket from the control block (offset 0, u64), whose header must have been
 * set by then (capacity at offset 20).
 */
static CUresult check_mark(void **kernelParams, int guarded, int held, struct fake_op *op)
{
    char *at;
    int own = held ? 5 : 4, all = own + (guarded ? 2 : 0);
    if (kernelParams == NULL)
        return CUDA_ERROR_INVALID_VALUE;
    for (int i = 0; i < all; i++)
        if (kernelParams[i] == NULL)
            return CUDA_ERROR_INVALID_VALUE;
    op->mark_index = *(const int *)kernelParams[3];
    op->guarded = guarded;
    op->held = held;
    if (op->mark_index < 0)
        return CUDA_ERROR_INVALID_VALUE;
    for (int i = 0; i < all; i++)
        op->mark[i] = i == 3 ? 0 : *(const CUdeviceptr *)kernelParams[i];
    CUresult rc = device_memory(op->mark[0] + 4 * (CUdeviceptr)op->mark_index, 4, &at);
    if (rc == CUDA_SUCCESS)
        rc = device_memory(op->mark[1] + 4 * (CUdeviceptr)op->mark_index, 4, &at);
    if (rc == CUDA_SUCCESS)
        rc = device_memory(op->mark[2], 4, &at);
    if (rc == CUDA_SUCCESS && held)
        rc = device_memory(op->mark[4], 4, &at);
    if (rc == CUDA_SUCCESS && guarded)
        rc = device_memory(op->mark[own], 4, &at);
    if (rc == CUDA_SUCCESS && guarded)
        rc = device_memory(op->mark[own + 1], 24, &at);
    return rc;
}

/* A 32-bit word of device memory, or -1 if it was freed. */
static long word_at(CUdeviceptr pointer)
{
    char *at;
    return device_memory(pointer, 4, &at) == CUDA_SUCCESS ? (long)*(const uint32_t *)(void *)at : -1;
}

static void run_mark(const struct fake_op *op)
{
    char *counts, *order, *clock, *flag, *control;
    int own = op->held ? 5 : 4;
    if (device_memory(op->mark[0] + 4 * (CUdeviceptr)op->mark_index, 4, &counts) != CUDA_SUCCESS
        || device_memory(op->mark[1] + 4 * (CUdeviceptr)op->mark_index, 4, &order) != CUDA_SUCCESS
        || device_memory(op->mark[2], 4, &clock) != CUDA_SUCCESS
        || (op->guarded && (device_memory(op->mark[own], 4, &flag) != CUDA_SUCCESS
                            || device_memory(op->mark[own + 1], 24, &control) != CUDA_SUCCESS))) {
        fprintf(stderr, "fake libcuda: a mark found its memory freed when its turn came; skipped\n");
        return;
    }
    if (op->guarded) {
        if (*(const uint32_t *)(void *)(control + 20) == 0) {
            fprintf(stderr, "fake libcuda: a guarded mark ran with a control block whose header was never set; it did nothing\n");
            return;
        }
        if (*(const uint32_t *)(void *)flag != 0) {
            fake_stopped_count++;
            return; /* stopped: its block leaves without claiming a ticket */
        }
        if (*(uint64_t *)(void *)control >= 1)
            return; /* its one block was claimed already (or the control block is sealed) */
        *(uint64_t *)(void *)control += 1;
    }
    *(uint32_t *)(void *)counts += 1;
    *(uint32_t *)(void *)order = ++*(uint32_t *)(void *)clock;
}

static CUresult launch(CUfunction f, unsigned int gx, unsigned int gy, unsigned int gz, unsigned int bx,
                       unsigned int by, unsigned int bz, CUstream hStream, void **kernelParams)
{
    struct CUstream_st *s;
    CUresult rc = ready_in_context();
    if (rc == CUDA_SUCCESS)
        rc = stream_of(hStream, &s);
    if (rc != CUDA_SUCCESS)
        return rc;
    if (object_find(f, K_FUNCTION) == NULL)
        return CUDA_ERROR_INVALID_HANDLE;
    if (gx == 0 || gy == 0 || gz == 0 || bx == 0 || by == 0 || bz == 0 || (unsigned long)bx * by * bz > 1024)
        return CUDA_ERROR_INVALID_VALUE;
    struct fake_op *op = NULL;
    if (((struct CUfunc_st *)f)->runs_mark) {
        op = op_new(OP_KERNEL_MARK);
        if (op == NULL)
            return CUDA_ERROR_OUT_OF_MEMORY;
        if ((rc = check_mark(kernelParams, ((struct CUfunc_st *)f)->guarded, ((struct CUfunc_st *)f)->runs_mark == 2, op))
            != CUDA_SUCCESS) {
            free(op);
            return rc;
        }
    }
    if (s->launches == s->log_cap) {
        long cap = s->log_cap == 0 ? 256 : 2 * s->log_cap;
        int *grown = realloc(s->log, (size_t)cap * sizeof *grown);
        if (grown == NULL) {
            free(op);
            return CUDA_ERROR_OUT_OF_MEMORY;
        }
        s->log = grown;
        s->log_cap = cap;
    }
    s->log[s->launches++] = kernelParams != NULL && kernelParams[0] != NULL ? *(const int *)kernelParams[0] : -1;
    return op != NULL ? enqueue_op(s, op) : CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuLaunchKernel(CUfunction f, unsigned int gridDimX, unsigned int gridDimY, unsigned int gridDimZ,
                                    unsigned int blockDimX, unsigned int blockDimY, unsigned int blockDimZ,
                                    unsigned int sharedMemBytes, CUstream hStream, void **kernelParams, void **extra)
{
    if (sharedMemBytes > 228 * 1024 || (kernelParams != NULL && extra != NULL))
        return CUDA_ERROR_INVALID_VALUE;
    LOCKED(launch(f, gridDimX, gridDimY, gridDimZ, blockDimX, blockDimY, blockDimZ, hStream, kernelParams));
}

/* ---- what tests ask ----------------------------------------------------------------------- */

static struct CUstream_st *any_stream(CUstream handle)
{
    if (handle == NULL || handle == CU_STREAM_LEGACY_HANDLE)
        return &fake_legacy;
    if (handle == CU_STREAM_PER_THREAD_HANDLE)
        return fake_per_thread;
    for (struct fake_object *o = fake_objects; o != NULL; o = o->next)
        if ((void *)o == (void *)handle && o->kind == K_STREAM)
            return (struct CUstream_st *)o;
    return NULL;
}

/** @return kernels launched on a stream (0 or CU_STREAM_LEGACY: the legacy stream; CU_STREAM_PER_THREAD: the
 * calling thread's; destroyed ones too), -1 if unknown (or the calling thread never used its own) */
FAKE_EXPORT long fake_launches(CUstream stream)
{
    pthread_mutex_lock(&fake_lock);
    struct CUstream_st *s = any_stream(stream);
    long n = s != NULL ? s->launches : -1;
    pthread_mutex_unlock(&fake_lock);
    return n;
}

/**
 * Copies the first parameter (an int) of the first max kernels launched on a stream, in launch
 * order (-1 for a launch without parameters).
 * @return the kernels launched on it, -1 if the stream is unknown
 */
FAKE_EXPORT long fake_launch_log(CUstream stream, int *out, long max)
{
    pthread_mutex_lock(&fake_lock);
    struct CUstream_st *s = any_stream(stream);
    long n = s != NULL ? s->launches : -1;
    for (long i = 0; out != NULL && i < n && i < max; i++)
        out[i] = s->log[i];
    pthread_mutex_unlock(&fake_lock);
    return n;
}

/** @return marks that began to run, so far */
FAKE_EXPORT long fake_marks_running_or_run(void)
{
    pthread_mutex_lock(&fake_lock);
    run_streams();
    long n = fake_marks_started;
    pthread_mutex_unlock(&fake_lock);
    return n;
}

/** @return guarded marks that found their queue's stop flag set and ran nothing, so far */
FAKE_EXPORT long fake_guarded_stops(void)
{
    pthread_mutex_lock(&fake_lock);
    long n = fake_stopped_count;
    pthread_mutex_unlock(&fake_lock);
    return n;
}

/** @return per-thread default streams made so far: one per thread that used CU_STREAM_PER_THREAD */
FAKE_EXPORT long fake_per_thread_streams(void)
{
    pthread_mutex_lock(&fake_lock);
    long n = fake_per_thread_count;
    pthread_mutex_unlock(&fake_lock);
    return n;
}

/** @return calls this fake refused because it cannot model them (see the top of this file) */
FAKE_EXPORT long fake_unmodelled(void)
{
    pthread_mutex_lock(&fake_lock);
    long n = fake_unmodelled_count;
    pthread_mutex_unlock(&fake_lock);
    return n;
}

/* ---- cuGetProcAddress ---------------------------------------------------------------------- */

FAKE_EXPORT CUresult cuGetProcAddress(const char *symbol, void **pfn, int cudaVersion, cuuint64_t flags);
FAKE_EXPORT CUresult cuGetProcAddress_v2(const char *symbol, void **pfn, int cudaVersion, cuuint64_t flags,
                                         CUdriverProcAddressQueryResult *symbolStatus);

/* base name, function, first and first-no-longer version (0: none), has a per-thread variant in
 * the real driver (the fake has none, so a per-thread lookup of it fails) */
static const struct fake_proc {
    const char *base;
    void *fn;
    int since;
    int until;
    int per_thread;
} fake_procs[] = {
    {"cuGetErrorName", (void *)cuGetErrorName, 6000, 0, 0},
    {"cuGetErrorString", (void *)cuGetErrorString, 6000, 0, 0},
    {"cuInit", (void *)cuInit, 2000, 0, 0},
    {"cuDriverGetVersion", (void *)cuDriverGetVersion, 2020, 0, 0},
    {"cuDeviceGetCount", (void *)cuDeviceGetCount, 2000, 0, 0},
    {"cuDeviceGet", (void *)cuDeviceGet, 2000, 0, 0},
    {"cuDeviceGetName", (void *)cuDeviceGetName, 2000, 0, 0},
    {"cuDeviceGetAttribute", (void *)cuDeviceGetAttribute, 2000, 0, 0},
    {"cuDeviceTotalMem", (void *)cuDeviceTotalMem_v2, 3020, 0, 0},
    {"cuDevicePrimaryCtxRetain", (void *)cuDevicePrimaryCtxRetain, 7000, 0, 0},
    {"cuDevicePrimaryCtxRelease", (void *)cuDevicePrimaryCtxRelease_v2, 11000, 0, 0},
    {"cuDevicePrimaryCtxSetFlags", (void *)cuDevicePrimaryCtxSetFlags_v2, 11000, 0, 0},
    {"cuDevicePrimaryCtxGetState", (void *)cuDevicePrimaryCtxGetState, 7000, 0, 0},
    {"cuCtxSetCurrent", (void *)cuCtxSetCurrent, 4000, 0, 0},
    {"cuCtxGetCurrent", (void *)cuCtxGetCurrent, 4000, 0, 0},
    {"cuCtxSynchronize", (void *)cuCtxSynchronize, 2000, 13000, 0},
    {"cuCtxGetStreamPriorityRange", (void *)cuCtxGetStreamPriorityRange, 5050, 0, 0},
    {"cuModuleLoadDataEx", (void *)cuModuleLoadDataEx, 2010, 0, 0},
    {"cuModuleUnload", (void *)cuModuleUnload, 2000, 0, 0},
    {"cuModuleGetFunction", (void *)cuModuleGetFunction, 2000, 0, 0},
    {"cuMemAlloc", (void *)cuMemAlloc_v2, 3020, 0, 0},
    {"cuMemFree", (void *)cuMemFree_v2, 3020, 0, 0},
    {"cuMemAllocHost", (void *)cuMemAllocHost_v2, 3020, 0, 0},
    {"cuMemFreeHost", (void *)cuMemFreeHost, 2000, 0, 0},
    {"cuMemcpyHtoD", (void *)cuMemcpyHtoD_v2, 3020, 0, 1},
    {"cuMemcpyDtoH", (void *)cuMemcpyDtoH_v2, 3020, 0, 1},
    {"cuMemcpyHtoDAsync", (void *)cuMemcpyHtoDAsync_v2, 3020, 0, 1},
    {"cuMemcpyDtoHAsync", (void *)cuMemcpyDtoHAsync_v2, 3020, 0, 1},
    {"cuMemcpyDtoDAsync", (void *)cuMemcpyDtoDAsync_v2, 3020, 0, 1},
    {"cuMemsetD8Async", (void *)cuMemsetD8Async, 3020, 0, 1},
    {"cuMemsetD32Async", (void *)cuMemsetD32Async, 3020, 0, 1},
    {"cuStreamCreate", (void *)cuStreamCreate, 2000, 0, 0},
    {"cuStreamCreateWithPriority", (void *)cuStreamCreateWithPriority, 5050, 0, 0},
    {"cuStreamDestroy", (void *)cuStreamDestroy_v2, 4000, 0, 0},
    {"cuStreamSynchronize", (void *)cuStreamSynchronize, 2000, 0, 1},
    {"cuStreamGetCtx", (void *)cuStreamGetCtx, 9020, 12050, 1},
    {"cuStreamIsCapturing", (void *)cuStreamIsCapturing, 10000, 0, 1},
    {"cuThreadExchangeStreamCaptureMode", (void *)cuThreadExchangeStreamCaptureMode, 10010, 0, 0},
    {"cuStreamWaitEvent", (void *)cuStreamWaitEvent, 3020, 0, 1},
    {"cuEventCreate", (void *)cuEventCreate, 2000, 0, 0},
    {"cuEventRecord", (void *)cuEventRecord, 2000, 0, 1},
    {"cuEventQuery", (void *)cuEventQuery, 2000, 0, 0},
    {"cuEventSynchronize", (void *)cuEventSynchronize, 2000, 0, 0},
    {"cuEventDestroy", (void *)cuEventDestroy_v2, 4000, 0, 0},
    {"cuStreamWaitValue32", (void *)cuStreamWaitValue32_v2, 11070, 0, 1},
    {"cuStreamWriteValue32", (void *)cuStreamWriteValue32_v2, 11070, 0, 1},
    {"cuLaunchKernel", (void *)cuLaunchKernel, 4000, 0, 1},
    {"cuGetProcAddress", (void *)cuGetProcAddress, 11030, 12000, 0},
    {"cuGetProcAddress", (void *)cuGetProcAddress_v2, 12000, 0, 0},
};

FAKE_EXPORT CUresult cuGetProcAddress_v2(const char *symbol, void **pfn, int cudaVersion, cuuint64_t flags,
                                         CUdriverProcAddressQueryResult *symbolStatus)
{
    if (symbol == NULL || pfn == NULL)
        return CUDA_ERROR_INVALID_VALUE;
    int per_thread = (flags & 2) != 0; /* CU_GET_PROC_ADDRESS_PER_THREAD_DEFAULT_STREAM */
    int found = 0, too_old = 0;
    *pfn = NULL;
    for (size_t i = 0; i < sizeof fake_procs / sizeof *fake_procs; i++) {
        const struct fake_proc *p = &fake_procs[i];
        if (strcmp(p->base, symbol) != 0 || (per_thread && p->per_thread))
            continue;
        if (cudaVersion < p->since)
            too_old = 1;
        else if (p->until == 0 || cudaVersion < p->until) {
            *pfn = p->fn;
            found = 1;
        }
    }
    if (symbolStatus != NULL)
        *symbolStatus = found ? 0 : too_old ? 2 : 1; /* SUCCESS, VERSION_NOT_SUFFICIENT, SYMBOL_NOT_FOUND */
    return found ? CUDA_SUCCESS : CUDA_ERROR_NOT_FOUND;
}

FAKE_EXPORT CUresult cuGetProcAddress(const char *symbol, void **pfn, int cudaVersion, cuuint64_t flags)
{
    return cuGetProcAddress_v2(symbol, pfn, cudaVersion, flags, NULL);
}
