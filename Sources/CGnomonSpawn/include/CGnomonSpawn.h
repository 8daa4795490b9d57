#ifndef CGNOMONSPAWN_H
#define CGNOMONSPAWN_H

#include <sys/types.h>

/// A standard stream of the child: this descriptor, /dev/null, or Gnomon's own.
#define GNOMON_STREAM_NULL (-1)
#define GNOMON_STREAM_INHERIT (-2)

/// Starts `path` with `vfork` and `execve`: the child resets every signal to its default, empties
/// its signal mask, when `own_group` is set leads a process group of its own (pid == pgid) in the
/// caller's session and gives up any controlling terminal, changes to `directory` when it is not
/// NULL, takes its three standard streams and closes every other descriptor. Unlike posix_spawn
/// it maps no stack for the child (it borrows the calling thread's until exec).
/// Returns the pid, or -1 with `*error` set to the errno of whichever step failed.
pid_t gnomon_spawn(const char *path, char *const argv[], char *const envp[], const char *directory,
                   int standard_input, int standard_output, int standard_error, int own_group,
                   int *error);

/// memfd_create with MFD_CLOEXEC: an anonymous file that captures a child's output.
int gnomon_memfd(const char *name);

/// mallopt(M_TOP_PAD) and mallopt(M_TRIM_THRESHOLD): how much a heap grows at a time and how
/// much freed memory it keeps (see MemoryTuning in GnomonExecution).
void gnomon_tune_malloc(int top_pad, int trim_threshold);

/// pidfd_open(2) with PIDFD_NONBLOCK unset: a descriptor that becomes readable when the child
/// `pid` exits (it stays valid until the child is reaped). -1 with errno set on failure.
int gnomon_pidfd_open(pid_t pid);

/// Whether the child `pid` has exited and waits to be reaped (a zombie); it is not reaped.
int gnomon_child_has_exited(pid_t pid);

/// Reaps the child `pid`, which has exited, and returns its waitpid(2) status (-1 on failure).
int gnomon_reap(pid_t pid);

/// The process loop's wait (see ProcessLoop in GnomonExecution): an epoll descriptor that also
/// watches a new eventfd, returned in `*wakeup`. -1 with errno set on failure.
int gnomon_loop_create(int *wakeup);

/// Watches `descriptor` for one readability (EPOLLONESHOT). 0, or -1 with errno set.
int gnomon_loop_watch(int epoll, int descriptor);

/// Stops watching `descriptor`.
void gnomon_loop_unwatch(int epoll, int descriptor);

/// epoll_wait for at most `timeout_ms` (-1: no limit); the ready descriptors go to `ready`
/// (at most `capacity`, at most 64). Returns their number, or -1 with errno set.
int gnomon_loop_wait(int epoll, int *ready, int capacity, int timeout_ms);

/// Makes the loop's wait return (writes the eventfd).
void gnomon_loop_wake(int wakeup);

/// Resets the eventfd after a wake.
void gnomon_loop_drain(int wakeup);

/// fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE): frees the blocks of a byte range of a
/// file (reads of it return zeros; the file's size stays). 0, or -1 with errno set (EOPNOTSUPP on
/// a file system without holes).
int gnomon_punch_hole(int descriptor, long long offset, long long length);

/// open(folder, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode): an unnamed file in `folder`, to be
/// linked under a name once written (linkat of /proc/self/fd/N). -1 with errno set (ENOENT for a
/// missing folder; EOPNOTSUPP or EISDIR on a file system without unnamed files).
int gnomon_open_unnamed(const char *folder, int mode);

/// Sets the "top of a directory hierarchy" attribute (`chattr +T`, FS_TOPDIR_FL) on `folder`
/// unless it has it: ext4's allocator then places each new subfolder in a block group of its own
/// choosing (the one with the fewest folders among those with room) instead of beside `folder`.
/// 0, or -1 with errno set (ENOTTY, EOPNOTSUPP or EINVAL on a file system without it).
int gnomon_spread_subfolders(const char *folder);

/// renameat2(from, to, RENAME_NOREPLACE): renames unless `to` exists. 0, or -1 with errno set
/// (EEXIST: `to` exists; EINVAL: the file system cannot refuse to replace).
int gnomon_rename_noreplace(const char *from, const char *to);

/// lseek(SEEK_DATA): the first offset at or after `offset` that holds data (past a hole); -1 with
/// errno ENXIO when no data follows.
long long gnomon_seek_data(int descriptor, long long offset);

/// lseek(SEEK_HOLE): the first offset at or after `offset` in a hole (the end of the file counts
/// as one); -1 with errno set on failure.
long long gnomon_seek_hole(int descriptor, long long offset);

#endif
