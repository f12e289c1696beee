# vmmanager version and build settings; edit to taste.
VERSION = 0.1.0

PREFIX = /usr/local
MANPREFIX = $(PREFIX)/share/man
DATADIR = $(PREFIX)/share/vmmanager
# bash-completion's folder for completions loaded on demand.
COMPLETIONDIR = $(PREFIX)/share/bash-completion/completions

CC ?= cc
PKG_CONFIG ?= pkg-config

# Quiet when something is missing: scripts/deps.sh says what, in one line.
NCURSES_CFLAGS = $(filter-out -D_XOPEN_SOURCE% -D_DEFAULT_SOURCE,$(shell $(PKG_CONFIG) --cflags ncursesw 2>/dev/null))
NCURSES_LIBS = $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null)
LIBVIRT_CFLAGS = $(shell $(PKG_CONFIG) --cflags libvirt libxml-2.0 2>/dev/null)
LIBVIRT_LIBS = $(shell $(PKG_CONFIG) --libs libvirt libxml-2.0 2>/dev/null)
CMOCKA_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

WARN = -std=c11 -Wall -Wextra -Wpedantic
VMM_CPPFLAGS = -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 \
	-DVERSION=\"$(VERSION)\" -DDATADIR=\"$(DATADIR)\" -Isrc -I. $(CPPFLAGS)
VMM_CFLAGS = $(WARN) -O2 -g $(CFLAGS)
VMM_LDFLAGS = -pthread $(LDFLAGS)
