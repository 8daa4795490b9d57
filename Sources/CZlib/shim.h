// The system zlib (Debian: zlib1g-dev), for GnomonServer's gzip-encoded event streams.
#include <zlib.h>
