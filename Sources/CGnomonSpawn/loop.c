#define _GNU_SOURCE
#include "CGnomonSpawn.h"
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

int gnomon_loop_create(int *wakeup) {
    int epoll = epoll_create1(EPOLL_CLOEXEC);
    if (epoll < 0) return -1;
    int event = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (event < 0) {
        close(epoll);
        return -1;
    }
    struct epoll_event watch = {.events = EPOLLIN, .data.fd = event};
    if (epoll_ctl(epoll, EPOLL_CTL_ADD, event, &watch) != 0) {
        close(event);
        close(epoll);
        return -1;
    }
    *wakeup = event;
    return epoll;
}

int gnomon_loop_watch(int epoll, int descriptor) {
    struct epoll_event watch = {.events = EPOLLIN | EPOLLONESHOT, .data.fd = descriptor};
    return epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &watch);
}

void gnomon_loop_unwatch(int epoll, int descriptor) {
    epoll_ctl(epoll, EPOLL_CTL_DEL, descriptor, NULL);
}

int gnomon_loop_wait(int epoll, int *ready, int capacity, int timeout_ms) {
    struct epoll_event events[64];
    if (capacity > 64) capacity = 64;
    int count = epoll_wait(epoll, events, capacity, timeout_ms);
    for (int index = 0; index < count; index++) ready[index] = events[index].data.fd;
    return count;
}

void gnomon_loop_wake(int wakeup) {
    uint64_t one = 1;
    (void)!write(wakeup, &one, sizeof one);
}

void gnomon_loop_drain(int wakeup) {
    uint64_t value;
    (void)!read(wakeup, &value, sizeof value);
}
