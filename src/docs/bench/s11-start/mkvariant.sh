#!/bin/bash
# mkvariant.sh NAME JAR [LAUNCHER]: session 10's mkvariant.sh for the s11-start worktree, into /tmp/s11start/NAME.
MKVARIANT_WORKTREE=/work/wt/s11-start MKVARIANT_DIR=/tmp/s11start exec bash "$(dirname "$0")/../s10-start/mkvariant.sh" "$@"
