// stamp: prints "NAME NANOSECONDS" (CLOCK_REALTIME at the start of main) and exits.
//
// The latency benchmark runs a chain of these under Gnomon and under make: the difference between
// a task's stamp and its upstream's is the time from one task's exit to the next one's start
// (the upstream exits right after its stamp). scripts/bench compiles it statically (cc -static)
// where it can, so the dynamic loader adds nothing to the figure.
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    char line[128];
    int length = snprintf(line, sizeof line, "%s %lld\n", argc > 1 ? argv[1] : "-",
                          (long long)now.tv_sec * 1000000000LL + now.tv_nsec);
    return write(STDOUT_FILENO, line, (size_t)length) == length ? 0 : 1;
}
