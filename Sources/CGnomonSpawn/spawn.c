#define _GNU_SOURCE
#include "CGnomonSpawn.h"
#include <sys/mman.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int gnomon_pidfd_open(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

int gnomon_child_has_exited(pid_t pid) {
    siginfo_t info;
    memset(&info, 0, sizeof info);
    if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0) return 0;
    return info.si_pid == pid;
}

int gnomon_reap(pid_t pid) {
    int status = 0;
    pid_t result;
    do {
        result = waitpid(pid, &status, 0);
    } while (result < 0 && errno == EINTR);
    return result == pid ? status : -1;
}

int gnomon_memfd(const char *name) {
    return memfd_create(name, MFD_CLOEXEC);
}

/// Makes `target` the child's descriptor `source` (or /dev/null, or leaves it).
static int gnomon_child_stream(int source, int target, int null_flags) {
    if (source == GNOMON_STREAM_INHERIT) return 0;
    if (source == GNOMON_STREAM_NULL) {
        int fd = open("/dev/null", null_flags);
        if (fd < 0) return -1;
        if (fd == target) return 0;
        if (dup2(fd, target) < 0) return -1;
        return close(fd);
    }
    if (source == target) return fcntl(target, F_SETFD, 0);
    return dup2(source, target) < 0 ? -1 : 0;
}

pid_t gnomon_spawn(const char *path, char *const argv[], char *const envp[], const char *directory,
                   int standard_input, int standard_output, int standard_error, int own_group,
                   int *error) {
    // Every signal stays blocked until the child has reset every handler: a handler must never
    // run in the child, which shares the parent's memory until it execs.
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    volatile int child_error = 0;
    pid_t pid = vfork();
    if (pid == 0) {
        // The child: only async-signal-safe calls, no return from this function.
        struct sigaction default_action;
        memset(&default_action, 0, sizeof default_action);
        default_action.sa_handler = SIG_DFL;
        for (int sig = 1; sig < _NSIG; sig++) {
            if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &default_action, NULL);
        }
        if (own_group) {
            // A process group of its own, in Gnomon's session (a new session would also put it
            // in a scheduler autogroup of its own, which on a busy machine took the runner's
            // share of the CPU: see Docs/performance.md). Without the controlling terminal
            // Gnomon may have: it gives it up (TIOCNOTTY, for this process only, as it leads
            // no session), so it never stops on a read from the terminal.
            if (setpgid(0, 0) < 0) goto failed;
            int terminal = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
            if (terminal >= 0) {
                ioctl(terminal, TIOCNOTTY);
                close(terminal);
            }
        }
        if (directory != NULL && chdir(directory) < 0) goto failed;
        if (gnomon_child_stream(standard_input, STDIN_FILENO, O_RDONLY) < 0) goto failed;
        if (gnomon_child_stream(standard_output, STDOUT_FILENO, O_WRONLY) < 0) goto failed;
        if (gnomon_child_stream(standard_error, STDERR_FILENO, O_WRONLY) < 0) goto failed;
        close_range(3, ~0U, 0);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        execve(path, argv, envp);
    failed:
        child_error = errno ? errno : ENOEXEC;
        _exit(127);
    }
    int spawn_error = pid < 0 ? errno : child_error;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    if (spawn_error != 0) {
        // The child exited before exec: reap it here.
        if (pid > 0) waitpid(pid, NULL, 0);
        *error = spawn_error;
        return -1;
    }
    return pid;
}

#include <malloc.h>

void gnomon_tune_malloc(int top_pad, int trim_threshold) {
    mallopt(M_TOP_PAD, top_pad);
    mallopt(M_TRIM_THRESHOLD, trim_threshold);
}
