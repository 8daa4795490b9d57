#define _GNU_SOURCE
#include "CGnomonSpawn.h"
#include <fcntl.h>
#include <unistd.h>

int gnomon_punch_hole(int descriptor, long long offset, long long length) {
    return fallocate(descriptor, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)offset, (off_t)length);
}

long long gnomon_seek_data(int descriptor, long long offset) {
    return (long long)lseek(descriptor, (off_t)offset, SEEK_DATA);
}

long long gnomon_seek_hole(int descriptor, long long offset) {
    return (long long)lseek(descriptor, (off_t)offset, SEEK_HOLE);
}

int gnomon_open_unnamed(const char *folder, int mode) {
    return open(folder, O_TMPFILE | O_WRONLY | O_CLOEXEC, (mode_t)mode);
}

#include <errno.h>
#include <linux/fs.h>
#include <sys/ioctl.h>

int gnomon_spread_subfolders(const char *folder) {
    int descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (descriptor < 0) return -1;
    int flags = 0;
    int result = ioctl(descriptor, FS_IOC_GETFLAGS, &flags);
    if (result == 0 && !(flags & FS_TOPDIR_FL)) {
        flags |= FS_TOPDIR_FL;
        result = ioctl(descriptor, FS_IOC_SETFLAGS, &flags);
    }
    int saved = errno;
    close(descriptor);
    errno = saved;
    return result;
}

#include <stdio.h>

int gnomon_rename_noreplace(const char *from, const char *to) {
    return renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE);
}
