/*
 * A fake Level Zero driver for CI hosts without an Intel GPU or NPU. The real loader (Debian libze1
 * 1.8.12) loads it when ZE_ENABLE_ALT_DRIVERS names it, so the Java bindings, struct layouts and
 * queues are exercised end to end through the loader exactly as with Intel's drivers, against a
 * driver compiled from the same ze_api.h. It is a test fixture, not an emulator of Intel hardware.
 * FakeDriver.java compiles it (gcc, libze-dev) in the test JVM before the loader initializes; it is
 * a test resource so that it travels in the test-jar to xsched.backend.npu's tests.
 *
 * Devices: "xsched fake GPU" (ZE_DEVICE_TYPE_GPU, immediate command lists, modules) and
 * "xsched fake NPU" (ZE_DEVICE_TYPE_VPU; like Intel's NPU driver it has no modules, and like its
 * older releases no immediate command lists: ZE_RESULT_ERROR_UNSUPPORTED_FEATURE; with
 * XSCHED_FAKE_ZE_VPU_MODULES=1 it runs the kernels below too, for the NPU conformance run).
 * Every command queue and immediate list has a worker thread that runs its commands in order.
 * Modules: any SPIR-V (checked by its magic number) "contains" three kernels:
 *   mark(int* counts, int* order, int* clock, int i): counts[i] += 1; order[i] = ++*clock (atomically)
 *   vadd(float* a, float* b, float* c, int n): c[k] = a[k] + b[k] for every work-item k < n
 *   spin(int micros): sleeps
 * Argument indices and sizes are checked as a real driver does (INVALID_KERNEL_ARGUMENT_*).
 */
#define _GNU_SOURCE
#include <level_zero/ze_api.h>
#include <level_zero/ze_ddi.h>

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))
#define SPIRV_MAGIC 0x07230203u

/* ---------- signals: events and fences ---------- */

typedef struct {
    pthread_mutex_t m;
    pthread_cond_t c;
    int signalled;
} signal_t;

static void sig_init(signal_t *s) {
    pthread_mutex_init(&s->m, NULL);
    pthread_cond_init(&s->c, NULL);
    s->signalled = 0;
}

static void sig_destroy(signal_t *s) {
    pthread_mutex_destroy(&s->m);
    pthread_cond_destroy(&s->c);
}

static void sig_set(signal_t *s) {
    pthread_mutex_lock(&s->m);
    s->signalled = 1;
    pthread_cond_broadcast(&s->c);
    pthread_mutex_unlock(&s->m);
}

static void sig_reset(signal_t *s) {
    pthread_mutex_lock(&s->m);
    s->signalled = 0;
    pthread_mutex_unlock(&s->m);
}

static void deadline_after(struct timespec *ts, uint64_t nanos) {
    clock_gettime(CLOCK_REALTIME, ts);
    uint64_t ns = (uint64_t) ts->tv_nsec + nanos % 1000000000u;
    ts->tv_sec += (time_t) (nanos / 1000000000u + ns / 1000000000u);
    ts->tv_nsec = (long) (ns % 1000000000u);
}

/* 0: query; UINT64_MAX: forever; else a timed wait. */
static ze_result_t sig_wait(signal_t *s, uint64_t timeout) {
    ze_result_t rc = ZE_RESULT_SUCCESS;
    pthread_mutex_lock(&s->m);
    if (timeout == UINT64_MAX) {
        while (!s->signalled) {
            pthread_cond_wait(&s->c, &s->m);
        }
    } else if (!s->signalled) {
        if (timeout > 0) {
            struct timespec ts;
            deadline_after(&ts, timeout);
            while (!s->signalled && pthread_cond_timedwait(&s->c, &s->m, &ts) != ETIMEDOUT) {
            }
        }
        rc = s->signalled ? ZE_RESULT_SUCCESS : ZE_RESULT_NOT_READY;
    }
    pthread_mutex_unlock(&s->m);
    return rc;
}

struct _ze_event_handle_t {
    signal_t s;
};

struct _ze_event_pool_handle_t {
    uint32_t count;
    struct _ze_event_handle_t *events;
};

struct _ze_fence_handle_t {
    signal_t s;
};

/* ---------- driver, devices, contexts ---------- */

struct _ze_driver_handle_t {
    int unused;
};

struct _ze_device_handle_t {
    ze_device_type_t type;
    const char *name;
    uint32_t device_id;
    int immediate_lists;
    int modules;
};

struct _ze_context_handle_t {
    int unused;
};

static struct _ze_driver_handle_t the_driver;
static struct _ze_device_handle_t the_devices[] = {
    {ZE_DEVICE_TYPE_GPU, "xsched fake GPU", 0xfa4e, 1, 1},
    {ZE_DEVICE_TYPE_VPU, "xsched fake NPU", 0xfa5e, 0, 0},
};
#define DEVICE_COUNT 2u

/* ---------- kernels ---------- */

typedef struct {
    const char *name;
    uint32_t nargs;
    size_t sizes[4];
} kernel_def_t;

static const kernel_def_t KERNELS[] = {
    {"mark", 4, {8, 8, 8, 4}},
    {"vadd", 4, {8, 8, 8, 4}},
    {"spin", 1, {4, 0, 0, 0}},
};
#define KERNEL_COUNT 3u

struct _ze_module_handle_t {
    ze_device_handle_t device;
};

struct _ze_module_build_log_handle_t {
    char *text;
};

struct _ze_kernel_handle_t {
    const kernel_def_t *def;
    uint64_t args[4];
    uint32_t group[3];
};

typedef struct {
    const kernel_def_t *def;
    uint64_t args[4];
    uint32_t group[3];
    uint32_t groups[3];
} launch_t;

/* ---------- commands and engines ---------- */

enum { C_COPY, C_LAUNCH, C_BARRIER, C_FENCE };

typedef struct {
    int kind;
    void *dst;
    const void *src;
    size_t n;
    launch_t launch;
    ze_event_handle_t signal;
    ze_fence_handle_t fence;
} cmd_t;

typedef struct {
    pthread_mutex_t m;
    pthread_cond_t work;
    pthread_cond_t idle;
    cmd_t *q;
    size_t head, len, cap;
    int busy;
    int stop;
    pthread_t thread;
} engine_t;

static void run_kernel(const launch_t *l) {
    const char *name = l->def->name;
    if (strcmp(name, "mark") == 0) {
        int *counts = (int *) (uintptr_t) l->args[0];
        int *order = (int *) (uintptr_t) l->args[1];
        int *clock = (int *) (uintptr_t) l->args[2];
        int i = (int) (uint32_t) l->args[3];
        __atomic_fetch_add(&counts[i], 1, __ATOMIC_SEQ_CST);
        order[i] = __atomic_add_fetch(clock, 1, __ATOMIC_SEQ_CST);
    } else if (strcmp(name, "vadd") == 0) {
        const float *a = (const float *) (uintptr_t) l->args[0];
        const float *b = (const float *) (uintptr_t) l->args[1];
        float *c = (float *) (uintptr_t) l->args[2];
        int n = (int) (uint32_t) l->args[3];
        uint64_t items = (uint64_t) l->groups[0] * l->group[0];
        for (uint64_t k = 0; k < items && k < (uint64_t) n; k++) {
            c[k] = a[k] + b[k];
        }
    } else if (strcmp(name, "spin") == 0) {
        usleep((useconds_t) (uint32_t) l->args[0]);
    }
}

static void run(const cmd_t *c) {
    switch (c->kind) {
    case C_COPY:
        memmove(c->dst, c->src, c->n);
        break;
    case C_LAUNCH:
        run_kernel(&c->launch);
        break;
    case C_BARRIER:
        break;
    case C_FENCE:
        sig_set(&c->fence->s);
        break;
    }
    if (c->signal != NULL) {
        sig_set(&c->signal->s);
    }
}

static void *engine_main(void *arg) {
    engine_t *e = arg;
    pthread_mutex_lock(&e->m);
    for (;;) {
        while (e->len == 0 && !e->stop) {
            pthread_cond_wait(&e->work, &e->m);
        }
        if (e->len == 0 && e->stop) {
            break;
        }
        cmd_t c = e->q[e->head];
        e->head = (e->head + 1) % e->cap;
        e->len--;
        e->busy = 1;
        pthread_mutex_unlock(&e->m);
        run(&c);
        pthread_mutex_lock(&e->m);
        e->busy = 0;
        if (e->len == 0) {
            pthread_cond_broadcast(&e->idle);
        }
    }
    pthread_mutex_unlock(&e->m);
    return NULL;
}

static engine_t *engine_start(void) {
    engine_t *e = calloc(1, sizeof *e);
    if (e == NULL) {
        return NULL;
    }
    pthread_mutex_init(&e->m, NULL);
    pthread_cond_init(&e->work, NULL);
    pthread_cond_init(&e->idle, NULL);
    e->cap = 64;
    e->q = calloc(e->cap, sizeof(cmd_t));
    if (e->q == NULL || pthread_create(&e->thread, NULL, engine_main, e) != 0) {
        free(e->q);
        free(e);
        return NULL;
    }
    return e;
}

static ze_result_t engine_push(engine_t *e, const cmd_t *c) {
    pthread_mutex_lock(&e->m);
    if (e->len == e->cap) {
        cmd_t *bigger = calloc(e->cap * 2, sizeof(cmd_t));
        if (bigger == NULL) {
            pthread_mutex_unlock(&e->m);
            return ZE_RESULT_ERROR_OUT_OF_HOST_MEMORY;
        }
        for (size_t i = 0; i < e->len; i++) {
            bigger[i] = e->q[(e->head + i) % e->cap];
        }
        free(e->q);
        e->q = bigger;
        e->head = 0;
        e->cap *= 2;
    }
    e->q[(e->head + e->len) % e->cap] = *c;
    e->len++;
    pthread_cond_signal(&e->work);
    pthread_mutex_unlock(&e->m);
    return ZE_RESULT_SUCCESS;
}

static ze_result_t engine_wait_idle(engine_t *e, uint64_t timeout) {
    ze_result_t rc = ZE_RESULT_SUCCESS;
    pthread_mutex_lock(&e->m);
    if (timeout == UINT64_MAX) {
        while (e->len > 0 || e->busy) {
            pthread_cond_wait(&e->idle, &e->m);
        }
    } else {
        struct timespec ts;
        deadline_after(&ts, timeout);
        while ((e->len > 0 || e->busy) && timeout > 0 && pthread_cond_timedwait(&e->idle, &e->m, &ts) != ETIMEDOUT) {
        }
        rc = (e->len > 0 || e->busy) ? ZE_RESULT_NOT_READY : ZE_RESULT_SUCCESS;
    }
    pthread_mutex_unlock(&e->m);
    return rc;
}

static void engine_stop(engine_t *e) {
    pthread_mutex_lock(&e->m);
    e->stop = 1;
    pthread_cond_signal(&e->work);
    pthread_mutex_unlock(&e->m);
    pthread_join(e->thread, NULL);
    pthread_mutex_destroy(&e->m);
    pthread_cond_destroy(&e->work);
    pthread_cond_destroy(&e->idle);
    free(e->q);
    free(e);
}

struct _ze_command_queue_handle_t {
    engine_t *engine;
};

struct _ze_command_list_handle_t {
    engine_t *engine; /* immediate lists: their own engine; regular lists: NULL */
    cmd_t *cmds;
    size_t len, cap;
    int closed;
};

static ze_result_t list_add(ze_command_list_handle_t l, const cmd_t *c) {
    if (l->engine != NULL) {
        return engine_push(l->engine, c);
    }
    if (l->closed) {
        return ZE_RESULT_ERROR_INVALID_ARGUMENT;
    }
    if (l->len == l->cap) {
        size_t cap = l->cap == 0 ? 16 : l->cap * 2;
        cmd_t *bigger = realloc(l->cmds, cap * sizeof(cmd_t));
        if (bigger == NULL) {
            return ZE_RESULT_ERROR_OUT_OF_HOST_MEMORY;
        }
        l->cmds = bigger;
        l->cap = cap;
    }
    l->cmds[l->len++] = *c;
    return ZE_RESULT_SUCCESS;
}

/* ---------- global, driver, device ---------- */

static ze_result_t fake_init(ze_init_flags_t flags) {
    (void) flags;
    /* Copies alone cannot count how often a command ran, so the conformance run of the NPU
     * backend lets the fake NPU run the mark kernel; Intel's NPU driver has no modules. */
    const char *vpu_modules = getenv("XSCHED_FAKE_ZE_VPU_MODULES");
    the_devices[1].modules = vpu_modules != NULL && strcmp(vpu_modules, "1") == 0;
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_driver_get(uint32_t *count, ze_driver_handle_t *drivers) {
    if (count == NULL) {
        return ZE_RESULT_ERROR_INVALID_NULL_POINTER;
    }
    if (*count == 0 || drivers == NULL) {
        *count = 1;
        return ZE_RESULT_SUCCESS;
    }
    drivers[0] = &the_driver;
    *count = 1;
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_driver_api_version(ze_driver_handle_t d, ze_api_version_t *v) {
    (void) d;
    *v = ZE_API_VERSION_1_4;
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_driver_properties(ze_driver_handle_t d, ze_driver_properties_t *p) {
    (void) d;
    if (p->stype != ZE_STRUCTURE_TYPE_DRIVER_PROPERTIES) {
        return ZE_RESULT_ERROR_INVALID_ARGUMENT;
    }
    memset(p->uuid.id, 0x5a, sizeof p->uuid.id);
    p->driverVersion = 0x01020003;
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_driver_extensions(ze_driver_handle_t d, uint32_t *count, ze_driver_extension_properties_t *props) {
    (void) d;
    if (props == NULL || *count == 0) {
        *count = 1;
        return ZE_RESULT_SUCCESS;
    }
    strncpy(props[0].name, "ZE_xsched_fake_driver", ZE_MAX_EXTENSION_NAME - 1);
    props[0].version = ZE_MAKE_VERSION(1, 0);
    *count = 1;
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_device_get(ze_driver_handle_t d, uint32_t *count, ze_device_handle_t *devices) {
    if (d != &the_driver) {
        return ZE_RESULT_ERROR_INVALID_NULL_HANDLE;
    }
    if (*count == 0 || devices == NULL) {
        *count = DEVICE_COUNT;
        return ZE_RESULT_SUCCESS;
    }
    uint32_t n = *count < DEVICE_COUNT ? *count : DEVICE_COUNT;
    for (uint32_t i = 0; i < n; i++) {
        devices[i] = &the_devices[i];
    }
    *count = n;
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_device_properties(ze_device_handle_t d, ze_device_properties_t *p) {
    if (p->stype != ZE_STRUCTURE_TYPE_DEVICE_PROPERTIES) {
        return ZE_RESULT_ERROR_INVALID_ARGUMENT;
    }
    p->type = d->type;
    p->vendorId = 0x8086;
    p->deviceId = d->device_id;
    p->flags = ZE_DEVICE_PROPERTY_FLAG_INTEGRATED;
    p->maxMemAllocSize = 1ull << 32;
    p->maxHardwareContexts = 64;
    memset(p->uuid.id, 0, sizeof p->uuid.id);
    p->uuid.id[0] = (uint8_t) d->device_id;
    strncpy(p->name, d->name, ZE_MAX_DEVICE_NAME - 1);
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_device_compute(ze_device_handle_t d, ze_device_compute_properties_t *p) {
    (void) d;
    if (p->stype != ZE_STRUCTURE_TYPE_DEVICE_COMPUTE_PROPERTIES) {
        return ZE_RESULT_ERROR_INVALID_ARGUMENT;
    }
    p->maxTotalGroupSize = 1024;
    p->maxGroupSizeX = 1024;
    p->maxGroupSizeY = 1024;
    p->maxGroupSizeZ = 64;
    p->maxGroupCountX = 65535;
    p->maxGroupCountY = 65535;
    p->maxGroupCountZ = 65535;
    p->maxSharedLocalMemory = 65536;
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_queue_groups(ze_device_handle_t d, uint32_t *count, ze_command_queue_group_properties_t *p) {
    (void) d;
    if (p == NULL || *count == 0) {
        *count = 1;
        return ZE_RESULT_SUCCESS;
    }
    if (p[0].stype != ZE_STRUCTURE_TYPE_COMMAND_QUEUE_GROUP_PROPERTIES) {
        return ZE_RESULT_ERROR_INVALID_ARGUMENT;
    }
    p[0].flags = ZE_COMMAND_QUEUE_GROUP_PROPERTY_FLAG_COMPUTE | ZE_COMMAND_QUEUE_GROUP_PROPERTY_FLAG_COPY;
    p[0].maxMemoryFillPatternSize = 16;
    p[0].numQueues = 1;
    *count = 1;
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_context_create(ze_driver_handle_t d, const ze_context_desc_t *desc, ze_context_handle_t *out) {
    if (d != &the_driver || desc == NULL || desc->stype != ZE_STRUCTURE_TYPE_CONTEXT_DESC) {
        return ZE_RESULT_ERROR_INVALID_ARGUMENT;
    }
    *out = calloc(1, sizeof(struct _ze_context_handle_t));
    return *out == NULL ? ZE_RESULT_ERROR_OUT_OF_HOST_MEMORY : ZE_RESULT_SUCCESS;
}

static ze_result_t fake_context_destroy(ze_context_handle_t c) {
    free(c);
    return ZE_RESULT_SUCCESS;
}

/* ---------- queues and lists ---------- */

static ze_result_t check_queue_desc(const ze_command_queue_desc_t *desc) {
    if (desc == NULL || desc->stype != ZE_STRUCTURE_TYPE_COMMAND_QUEUE_DESC || desc->ordinal != 0 || desc->index != 0) {
        return ZE_RESULT_ERROR_INVALID_ARGUMENT;
    }
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_queue_create(ze_context_handle_t c, ze_device_handle_t d, const ze_command_queue_desc_t *desc,
                                     ze_command_queue_handle_t *out) {
    (void) c;
    (void) d;
    ze_result_t rc = check_queue_desc(desc);
    if (rc != ZE_RESULT_SUCCESS) {
        return rc;
    }
    ze_command_queue_handle_t q = calloc(1, sizeof *q);
    if (q == NULL || (q->engine = engine_start()) == NULL) {
        free(q);
        return ZE_RESULT_ERROR_OUT_OF_HOST_MEMORY;
    }
    *out = q;
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_queue_destroy(ze_command_queue_handle_t q) {
    engine_stop(q->engine);
    free(q);
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_queue_execute(ze_command_queue_handle_t q, uint32_t n, ze_command_list_handle_t *lists,
                                      ze_fence_handle_t fence) {
    for (uint32_t i = 0; i < n; i++) {
        if (lists[i]->engine != NULL || !lists[i]->closed) {
            return ZE_RESULT_ERROR_INVALID_ARGUMENT;
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        for (size_t k = 0; k < lists[i]->len; k++) {
            ze_result_t rc = engine_push(q->engine, &lists[i]->cmds[k]);
            if (rc != ZE_RESULT_SUCCESS) {
                return rc;
            }
        }
    }
    if (fence != NULL) {
        cmd_t f = {.kind = C_FENCE, .fence = fence};
        return engine_push(q->engine, &f);
    }
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_queue_synchronize(ze_command_queue_handle_t q, uint64_t timeout) {
    return engine_wait_idle(q->engine, timeout);
}

static ze_result_t fake_list_create(ze_context_handle_t c, ze_device_handle_t d, const ze_command_list_desc_t *desc,
                                    ze_command_list_handle_t *out) {
    (void) c;
    (void) d;
    if (desc == NULL || desc->stype != ZE_STRUCTURE_TYPE_COMMAND_LIST_DESC || desc->commandQueueGroupOrdinal != 0) {
        return ZE_RESULT_ERROR_INVALID_ARGUMENT;
    }
    *out = calloc(1, sizeof(struct _ze_command_list_handle_t));
    return *out == NULL ? ZE_RESULT_ERROR_OUT_OF_HOST_MEMORY : ZE_RESULT_SUCCESS;
}

static ze_result_t fake_list_create_immediate(ze_context_handle_t c, ze_device_handle_t d, const ze_command_queue_desc_t *desc,
                                              ze_command_list_handle_t *out) {
    (void) c;
    if (!d->immediate_lists) {
        return ZE_RESULT_ERROR_UNSUPPORTED_FEATURE;
    }
    ze_result_t rc = check_queue_desc(desc);
    if (rc != ZE_RESULT_SUCCESS) {
        return rc;
    }
    ze_command_list_handle_t l = calloc(1, sizeof *l);
    if (l == NULL || (l->engine = engine_start()) == NULL) {
        free(l);
        return ZE_RESULT_ERROR_OUT_OF_HOST_MEMORY;
    }
    *out = l;
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_list_destroy(ze_command_list_handle_t l) {
    if (l->engine != NULL) {
        engine_stop(l->engine);
    }
    free(l->cmds);
    free(l);
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_list_close(ze_command_list_handle_t l) {
    if (l->engine != NULL) {
        return ZE_RESULT_ERROR_INVALID_ARGUMENT;
    }
    l->closed = 1;
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_list_reset(ze_command_list_handle_t l) {
    if (l->engine != NULL) {
        return ZE_RESULT_ERROR_INVALID_ARGUMENT;
    }
    l->len = 0;
    l->closed = 0;
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_append_barrier(ze_command_list_handle_t l, ze_event_handle_t signal, uint32_t nwait,
                                       ze_event_handle_t *wait) {
    if (nwait != 0 || wait != NULL) {
        return ZE_RESULT_ERROR_UNSUPPORTED_FEATURE;
    }
    cmd_t c = {.kind = C_BARRIER, .signal = signal};
    return list_add(l, &c);
}

static ze_result_t fake_append_copy(ze_command_list_handle_t l, void *dst, const void *src, size_t n, ze_event_handle_t signal,
                                    uint32_t nwait, ze_event_handle_t *wait) {
    if (dst == NULL || src == NULL) {
        return ZE_RESULT_ERROR_INVALID_NULL_POINTER;
    }
    if (nwait != 0 || wait != NULL) {
        return ZE_RESULT_ERROR_UNSUPPORTED_FEATURE;
    }
    cmd_t c = {.kind = C_COPY, .dst = dst, .src = src, .n = n, .signal = signal};
    return list_add(l, &c);
}

static ze_result_t fake_append_launch(ze_command_list_handle_t l, ze_kernel_handle_t k, const ze_group_count_t *groups,
                                      ze_event_handle_t signal, uint32_t nwait, ze_event_handle_t *wait) {
    if (groups == NULL) {
        return ZE_RESULT_ERROR_INVALID_NULL_POINTER;
    }
    if (nwait != 0 || wait != NULL) {
        return ZE_RESULT_ERROR_UNSUPPORTED_FEATURE;
    }
    if (groups->groupCountX == 0 || groups->groupCountY == 0 || groups->groupCountZ == 0) {
        return ZE_RESULT_ERROR_INVALID_GLOBAL_WIDTH_DIMENSION;
    }
    cmd_t c = {.kind = C_LAUNCH, .signal = signal};
    c.launch.def = k->def;
    memcpy(c.launch.args, k->args, sizeof c.launch.args);
    memcpy(c.launch.group, k->group, sizeof c.launch.group);
    c.launch.groups[0] = groups->groupCountX;
    c.launch.groups[1] = groups->groupCountY;
    c.launch.groups[2] = groups->groupCountZ;
    return list_add(l, &c);
}

/* ---------- events and fences ---------- */

static ze_result_t fake_pool_create(ze_context_handle_t c, const ze_event_pool_desc_t *desc, uint32_t ndev,
                                    ze_device_handle_t *devs, ze_event_pool_handle_t *out) {
    (void) c;
    (void) ndev;
    (void) devs;
    if (desc == NULL || desc->stype != ZE_STRUCTURE_TYPE_EVENT_POOL_DESC || desc->count == 0) {
        return ZE_RESULT_ERROR_INVALID_ARGUMENT;
    }
    ze_event_pool_handle_t p = calloc(1, sizeof *p);
    if (p == NULL || (p->events = calloc(desc->count, sizeof(struct _ze_event_handle_t))) == NULL) {
        free(p);
        return ZE_RESULT_ERROR_OUT_OF_HOST_MEMORY;
    }
    p->count = desc->count;
    *out = p;
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_pool_destroy(ze_event_pool_handle_t p) {
    free(p->events);
    free(p);
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_event_create(ze_event_pool_handle_t p, const ze_event_desc_t *desc, ze_event_handle_t *out) {
    if (desc == NULL || desc->stype != ZE_STRUCTURE_TYPE_EVENT_DESC || desc->index >= p->count) {
        return ZE_RESULT_ERROR_INVALID_ARGUMENT;
    }
    ze_event_handle_t e = &p->events[desc->index];
    sig_init(&e->s);
    *out = e;
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_event_destroy(ze_event_handle_t e) {
    sig_destroy(&e->s);
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_event_sync(ze_event_handle_t e, uint64_t timeout) {
    return sig_wait(&e->s, timeout);
}

static ze_result_t fake_event_query(ze_event_handle_t e) {
    return sig_wait(&e->s, 0);
}

static ze_result_t fake_event_reset(ze_event_handle_t e) {
    sig_reset(&e->s);
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_fence_create(ze_command_queue_handle_t q, const ze_fence_desc_t *desc, ze_fence_handle_t *out) {
    (void) q;
    if (desc == NULL || desc->stype != ZE_STRUCTURE_TYPE_FENCE_DESC) {
        return ZE_RESULT_ERROR_INVALID_ARGUMENT;
    }
    ze_fence_handle_t f = calloc(1, sizeof *f);
    if (f == NULL) {
        return ZE_RESULT_ERROR_OUT_OF_HOST_MEMORY;
    }
    sig_init(&f->s);
    *out = f;
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_fence_destroy(ze_fence_handle_t f) {
    sig_destroy(&f->s);
    free(f);
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_fence_sync(ze_fence_handle_t f, uint64_t timeout) {
    return sig_wait(&f->s, timeout);
}

static ze_result_t fake_fence_query(ze_fence_handle_t f) {
    return sig_wait(&f->s, 0);
}

static ze_result_t fake_fence_reset(ze_fence_handle_t f) {
    sig_reset(&f->s);
    return ZE_RESULT_SUCCESS;
}

/* ---------- memory ---------- */

static void *aligned(size_t size, size_t alignment) {
    size_t a = alignment < 64 ? 64 : alignment;
    size_t n = (size + a - 1) / a * a;
    return aligned_alloc(a, n == 0 ? a : n);
}

static ze_result_t fake_alloc_device(ze_context_handle_t c, const ze_device_mem_alloc_desc_t *desc, size_t size,
                                     size_t alignment, ze_device_handle_t d, void **out) {
    (void) c;
    (void) d;
    if (desc == NULL || desc->stype != ZE_STRUCTURE_TYPE_DEVICE_MEM_ALLOC_DESC || size == 0) {
        return ZE_RESULT_ERROR_INVALID_ARGUMENT;
    }
    *out = aligned(size, alignment);
    return *out == NULL ? ZE_RESULT_ERROR_OUT_OF_DEVICE_MEMORY : ZE_RESULT_SUCCESS;
}

static ze_result_t fake_alloc_host(ze_context_handle_t c, const ze_host_mem_alloc_desc_t *desc, size_t size, size_t alignment,
                                   void **out) {
    (void) c;
    if (desc == NULL || desc->stype != ZE_STRUCTURE_TYPE_HOST_MEM_ALLOC_DESC || size == 0) {
        return ZE_RESULT_ERROR_INVALID_ARGUMENT;
    }
    *out = aligned(size, alignment);
    return *out == NULL ? ZE_RESULT_ERROR_OUT_OF_HOST_MEMORY : ZE_RESULT_SUCCESS;
}

static ze_result_t fake_free(ze_context_handle_t c, void *p) {
    (void) c;
    free(p);
    return ZE_RESULT_SUCCESS;
}

/* ---------- modules and kernels ---------- */

static ze_module_build_log_handle_t new_log(const char *text) {
    ze_module_build_log_handle_t log = calloc(1, sizeof *log);
    if (log != NULL) {
        log->text = strdup(text);
    }
    return log;
}

static ze_result_t fake_module_create(ze_context_handle_t c, ze_device_handle_t d, const ze_module_desc_t *desc,
                                      ze_module_handle_t *out, ze_module_build_log_handle_t *log) {
    (void) c;
    if (log != NULL) {
        *log = NULL;
    }
    if (!d->modules) {
        return ZE_RESULT_ERROR_UNSUPPORTED_FEATURE;
    }
    if (desc == NULL || desc->stype != ZE_STRUCTURE_TYPE_MODULE_DESC || desc->pInputModule == NULL || desc->inputSize == 0) {
        return ZE_RESULT_ERROR_INVALID_ARGUMENT;
    }
    uint32_t magic = 0;
    if (desc->inputSize >= 4) {
        memcpy(&magic, desc->pInputModule, 4);
    }
    if (desc->format == ZE_MODULE_FORMAT_IL_SPIRV && magic != SPIRV_MAGIC) {
        if (log != NULL) {
            *log = new_log("xsched fake driver: the input is not SPIR-V (no 0x07230203 magic number)");
        }
        return ZE_RESULT_ERROR_MODULE_BUILD_FAILURE;
    }
    ze_module_handle_t m = calloc(1, sizeof *m);
    if (m == NULL) {
        return ZE_RESULT_ERROR_OUT_OF_HOST_MEMORY;
    }
    m->device = d;
    *out = m;
    if (log != NULL) {
        *log = new_log(desc->pBuildFlags != NULL && desc->pBuildFlags[0] != '\0' ? "xsched fake driver: build flags ignored" : "");
    }
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_module_destroy(ze_module_handle_t m) {
    free(m);
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_log_string(ze_module_build_log_handle_t log, size_t *size, char *text) {
    size_t n = strlen(log->text) + 1;
    if (text == NULL) {
        *size = n;
        return ZE_RESULT_SUCCESS;
    }
    memcpy(text, log->text, *size < n ? *size : n);
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_log_destroy(ze_module_build_log_handle_t log) {
    free(log->text);
    free(log);
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_kernel_names(ze_module_handle_t m, uint32_t *count, const char **names) {
    (void) m;
    if (names == NULL || *count == 0) {
        *count = KERNEL_COUNT;
        return ZE_RESULT_SUCCESS;
    }
    uint32_t n = *count < KERNEL_COUNT ? *count : KERNEL_COUNT;
    for (uint32_t i = 0; i < n; i++) {
        names[i] = KERNELS[i].name;
    }
    *count = n;
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_kernel_create(ze_module_handle_t m, const ze_kernel_desc_t *desc, ze_kernel_handle_t *out) {
    (void) m;
    if (desc == NULL || desc->stype != ZE_STRUCTURE_TYPE_KERNEL_DESC || desc->pKernelName == NULL) {
        return ZE_RESULT_ERROR_INVALID_ARGUMENT;
    }
    for (uint32_t i = 0; i < KERNEL_COUNT; i++) {
        if (strcmp(KERNELS[i].name, desc->pKernelName) == 0) {
            ze_kernel_handle_t k = calloc(1, sizeof *k);
            if (k == NULL) {
                return ZE_RESULT_ERROR_OUT_OF_HOST_MEMORY;
            }
            k->def = &KERNELS[i];
            k->group[0] = k->group[1] = k->group[2] = 1;
            *out = k;
            return ZE_RESULT_SUCCESS;
        }
    }
    return ZE_RESULT_ERROR_INVALID_KERNEL_NAME;
}

static ze_result_t fake_kernel_destroy(ze_kernel_handle_t k) {
    free(k);
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_kernel_properties(ze_kernel_handle_t k, ze_kernel_properties_t *p) {
    if (p->stype != ZE_STRUCTURE_TYPE_KERNEL_PROPERTIES) {
        return ZE_RESULT_ERROR_INVALID_ARGUMENT;
    }
    p->numKernelArgs = k->def->nargs;
    p->requiredGroupSizeX = p->requiredGroupSizeY = p->requiredGroupSizeZ = 0;
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_set_group_size(ze_kernel_handle_t k, uint32_t x, uint32_t y, uint32_t z) {
    if (x == 0 || y == 0 || z == 0 || (uint64_t) x * y * z > 1024) {
        return ZE_RESULT_ERROR_INVALID_GROUP_SIZE_DIMENSION;
    }
    k->group[0] = x;
    k->group[1] = y;
    k->group[2] = z;
    return ZE_RESULT_SUCCESS;
}

static ze_result_t fake_set_argument(ze_kernel_handle_t k, uint32_t index, size_t size, const void *value) {
    if (index >= k->def->nargs) {
        return ZE_RESULT_ERROR_INVALID_KERNEL_ARGUMENT_INDEX;
    }
    if (size != k->def->sizes[index]) {
        return ZE_RESULT_ERROR_INVALID_KERNEL_ARGUMENT_SIZE;
    }
    k->args[index] = 0;
    if (value != NULL) {
        memcpy(&k->args[index], value, size);
    }
    return ZE_RESULT_SUCCESS;
}

/* ---------- the DDI tables the loader asks for ---------- */

EXPORT ze_result_t ZE_APICALL zeGetGlobalProcAddrTable(ze_api_version_t v, ze_global_dditable_t *t) {
    (void) v;
    t->pfnInit = fake_init;
    return ZE_RESULT_SUCCESS;
}

EXPORT ze_result_t ZE_APICALL zeGetDriverProcAddrTable(ze_api_version_t v, ze_driver_dditable_t *t) {
    (void) v;
    t->pfnGet = fake_driver_get;
    t->pfnGetApiVersion = fake_driver_api_version;
    t->pfnGetProperties = fake_driver_properties;
    t->pfnGetExtensionProperties = fake_driver_extensions;
    return ZE_RESULT_SUCCESS;
}

EXPORT ze_result_t ZE_APICALL zeGetDeviceProcAddrTable(ze_api_version_t v, ze_device_dditable_t *t) {
    (void) v;
    t->pfnGet = fake_device_get;
    t->pfnGetProperties = fake_device_properties;
    t->pfnGetComputeProperties = fake_device_compute;
    t->pfnGetCommandQueueGroupProperties = fake_queue_groups;
    return ZE_RESULT_SUCCESS;
}

EXPORT ze_result_t ZE_APICALL zeGetContextProcAddrTable(ze_api_version_t v, ze_context_dditable_t *t) {
    (void) v;
    t->pfnCreate = fake_context_create;
    t->pfnDestroy = fake_context_destroy;
    return ZE_RESULT_SUCCESS;
}

EXPORT ze_result_t ZE_APICALL zeGetCommandQueueProcAddrTable(ze_api_version_t v, ze_command_queue_dditable_t *t) {
    (void) v;
    t->pfnCreate = fake_queue_create;
    t->pfnDestroy = fake_queue_destroy;
    t->pfnExecuteCommandLists = fake_queue_execute;
    t->pfnSynchronize = fake_queue_synchronize;
    return ZE_RESULT_SUCCESS;
}

EXPORT ze_result_t ZE_APICALL zeGetCommandListProcAddrTable(ze_api_version_t v, ze_command_list_dditable_t *t) {
    (void) v;
    t->pfnCreate = fake_list_create;
    t->pfnCreateImmediate = fake_list_create_immediate;
    t->pfnDestroy = fake_list_destroy;
    t->pfnClose = fake_list_close;
    t->pfnReset = fake_list_reset;
    t->pfnAppendBarrier = fake_append_barrier;
    t->pfnAppendMemoryCopy = fake_append_copy;
    t->pfnAppendLaunchKernel = fake_append_launch;
    return ZE_RESULT_SUCCESS;
}

EXPORT ze_result_t ZE_APICALL zeGetEventProcAddrTable(ze_api_version_t v, ze_event_dditable_t *t) {
    (void) v;
    t->pfnCreate = fake_event_create;
    t->pfnDestroy = fake_event_destroy;
    t->pfnHostSynchronize = fake_event_sync;
    t->pfnQueryStatus = fake_event_query;
    t->pfnHostReset = fake_event_reset;
    return ZE_RESULT_SUCCESS;
}

EXPORT ze_result_t ZE_APICALL zeGetEventPoolProcAddrTable(ze_api_version_t v, ze_event_pool_dditable_t *t) {
    (void) v;
    t->pfnCreate = fake_pool_create;
    t->pfnDestroy = fake_pool_destroy;
    return ZE_RESULT_SUCCESS;
}

EXPORT ze_result_t ZE_APICALL zeGetFenceProcAddrTable(ze_api_version_t v, ze_fence_dditable_t *t) {
    (void) v;
    t->pfnCreate = fake_fence_create;
    t->pfnDestroy = fake_fence_destroy;
    t->pfnHostSynchronize = fake_fence_sync;
    t->pfnQueryStatus = fake_fence_query;
    t->pfnReset = fake_fence_reset;
    return ZE_RESULT_SUCCESS;
}

EXPORT ze_result_t ZE_APICALL zeGetMemProcAddrTable(ze_api_version_t v, ze_mem_dditable_t *t) {
    (void) v;
    t->pfnAllocDevice = fake_alloc_device;
    t->pfnAllocHost = fake_alloc_host;
    t->pfnFree = fake_free;
    return ZE_RESULT_SUCCESS;
}

EXPORT ze_result_t ZE_APICALL zeGetModuleProcAddrTable(ze_api_version_t v, ze_module_dditable_t *t) {
    (void) v;
    t->pfnCreate = fake_module_create;
    t->pfnDestroy = fake_module_destroy;
    t->pfnGetKernelNames = fake_kernel_names;
    return ZE_RESULT_SUCCESS;
}

EXPORT ze_result_t ZE_APICALL zeGetModuleBuildLogProcAddrTable(ze_api_version_t v, ze_module_build_log_dditable_t *t) {
    (void) v;
    t->pfnDestroy = fake_log_destroy;
    t->pfnGetString = fake_log_string;
    return ZE_RESULT_SUCCESS;
}

EXPORT ze_result_t ZE_APICALL zeGetKernelProcAddrTable(ze_api_version_t v, ze_kernel_dditable_t *t) {
    (void) v;
    t->pfnCreate = fake_kernel_create;
    t->pfnDestroy = fake_kernel_destroy;
    t->pfnSetGroupSize = fake_set_group_size;
    t->pfnSetArgumentValue = fake_set_argument;
    t->pfnGetProperties = fake_kernel_properties;
    return ZE_RESULT_SUCCESS;
}

/* Tables the loader's library asks every driver for; this one leaves them empty. */
#define EMPTY_TABLE(name, type)                                              \
    EXPORT ze_result_t ZE_APICALL name(ze_api_version_t v, type *t) {        \
        (void) v;                                                            \
        (void) t;                                                            \
        return ZE_RESULT_SUCCESS;                                            \
    }

EMPTY_TABLE(zeGetDeviceExpProcAddrTable, ze_device_exp_dditable_t)
EMPTY_TABLE(zeGetEventExpProcAddrTable, ze_event_exp_dditable_t)
EMPTY_TABLE(zeGetImageProcAddrTable, ze_image_dditable_t)
EMPTY_TABLE(zeGetImageExpProcAddrTable, ze_image_exp_dditable_t)
EMPTY_TABLE(zeGetKernelExpProcAddrTable, ze_kernel_exp_dditable_t)
EMPTY_TABLE(zeGetPhysicalMemProcAddrTable, ze_physical_mem_dditable_t)
EMPTY_TABLE(zeGetSamplerProcAddrTable, ze_sampler_dditable_t)
EMPTY_TABLE(zeGetVirtualMemProcAddrTable, ze_virtual_mem_dditable_t)
EMPTY_TABLE(zeGetFabricEdgeExpProcAddrTable, ze_fabric_edge_exp_dditable_t)
EMPTY_TABLE(zeGetFabricVertexExpProcAddrTable, ze_fabric_vertex_exp_dditable_t)

/* Tools (zet) and sysman (zes) tables: the loader's library asks for them at zeInit; none here. */
#define EMPTY_OPAQUE_TABLE(name)                                             \
    EXPORT ze_result_t ZE_APICALL name(ze_api_version_t v, void *t) {        \
        (void) v;                                                            \
        (void) t;                                                            \
        return ZE_RESULT_SUCCESS;                                            \
    }

EMPTY_OPAQUE_TABLE(zetGetDeviceProcAddrTable)
EMPTY_OPAQUE_TABLE(zetGetContextProcAddrTable)
EMPTY_OPAQUE_TABLE(zetGetCommandListProcAddrTable)
EMPTY_OPAQUE_TABLE(zetGetKernelProcAddrTable)
EMPTY_OPAQUE_TABLE(zetGetModuleProcAddrTable)
EMPTY_OPAQUE_TABLE(zetGetDebugProcAddrTable)
EMPTY_OPAQUE_TABLE(zetGetMetricProcAddrTable)
EMPTY_OPAQUE_TABLE(zetGetMetricGroupProcAddrTable)
EMPTY_OPAQUE_TABLE(zetGetMetricGroupExpProcAddrTable)
EMPTY_OPAQUE_TABLE(zetGetMetricQueryProcAddrTable)
EMPTY_OPAQUE_TABLE(zetGetMetricQueryPoolProcAddrTable)
EMPTY_OPAQUE_TABLE(zetGetMetricStreamerProcAddrTable)
EMPTY_OPAQUE_TABLE(zetGetTracerExpProcAddrTable)
EMPTY_OPAQUE_TABLE(zesGetDeviceProcAddrTable)
EMPTY_OPAQUE_TABLE(zesGetDriverProcAddrTable)
EMPTY_OPAQUE_TABLE(zesGetDiagnosticsProcAddrTable)
EMPTY_OPAQUE_TABLE(zesGetEngineProcAddrTable)
EMPTY_OPAQUE_TABLE(zesGetFabricPortProcAddrTable)
EMPTY_OPAQUE_TABLE(zesGetFanProcAddrTable)
EMPTY_OPAQUE_TABLE(zesGetFirmwareProcAddrTable)
EMPTY_OPAQUE_TABLE(zesGetFrequencyProcAddrTable)
EMPTY_OPAQUE_TABLE(zesGetLedProcAddrTable)
EMPTY_OPAQUE_TABLE(zesGetMemoryProcAddrTable)
EMPTY_OPAQUE_TABLE(zesGetPerformanceFactorProcAddrTable)
EMPTY_OPAQUE_TABLE(zesGetPowerProcAddrTable)
EMPTY_OPAQUE_TABLE(zesGetPsuProcAddrTable)
EMPTY_OPAQUE_TABLE(zesGetRasProcAddrTable)
EMPTY_OPAQUE_TABLE(zesGetSchedulerProcAddrTable)
EMPTY_OPAQUE_TABLE(zesGetStandbyProcAddrTable)
EMPTY_OPAQUE_TABLE(zesGetTemperatureProcAddrTable)
