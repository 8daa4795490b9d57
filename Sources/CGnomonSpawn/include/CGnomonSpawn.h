#ifndef CGNOMONSPAWN_H
#define CGNOMONSPAWN_H

#include <spawn.h>
#include <sys/types.h>

/// POSIX_SPAWN_SETSID: the child starts a new session and process group (pid == pgid).
/// glibc defines it only under _GNU_SOURCE, which Swift's Glibc module does not set.
extern const short gnomon_spawn_setsid;

/// posix_spawn_file_actions_addchdir_np: the child changes directory before exec.
int gnomon_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// posix_spawn_file_actions_addclosefrom_np: the child closes every descriptor >= `from`.
int gnomon_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);

/// memfd_create with MFD_CLOEXEC: an anonymous file that captures a child's output.
int gnomon_memfd(const char *name);

#endif
