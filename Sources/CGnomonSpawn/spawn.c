#define _GNU_SOURCE
#include "CGnomonSpawn.h"
#include <sys/mman.h>

const short gnomon_spawn_setsid = POSIX_SPAWN_SETSID;

int gnomon_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

int gnomon_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

int gnomon_memfd(const char *name) {
    return memfd_create(name, MFD_CLOEXEC);
}
