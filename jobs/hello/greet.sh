#!/bin/sh
# Says hello; the job file's folder is the working directory, so this script is ./hello/greet.sh.
set -eu
echo "${GREETING:-hello} from $(hostname), $(id -un)"
