#ifndef CGNOMONSPAWN_H
#define CGNOMONSPAWN_H

#include <sys/types.h>

/// A standard stream of the child: this descriptor, /dev/null, or Gnomon's own.
#define GNOMON_STREAM_NULL (-1)
#define GNOMON_STREAM_INHERIT (-2)

/// Starts `path` with `vfork` and `execve`: the child resets every signal to its default, empties
/// its signal mask, starts a new session when `new_session` is set, changes to `directory` when it
/// is not NULL, takes its three standard streams and closes every other descriptor. Unlike
/// posix_spawn it maps no stack for the child (it borrows the calling thread's until exec).
/// Returns the pid, or -1 with `*error` set to the errno of whichever step failed.
pid_t gnomon_spawn(const char *path, char *const argv[], char *const envp[], const char *directory,
                   int standard_input, int standard_output, int standard_error, int new_session,
                   int *error);

/// memfd_create with MFD_CLOEXEC: an anonymous file that captures a child's output.
int gnomon_memfd(const char *name);

/// mallopt(M_TOP_PAD) and mallopt(M_TRIM_THRESHOLD): how much a heap grows at a time and how
/// much freed memory it keeps (see MemoryTuning in GnomonExecution).
void gnomon_tune_malloc(int top_pad, int trim_threshold);

#endif
