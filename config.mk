# vmmanager version and build settings; edit to taste.
VERSION = 0.1.0

PREFIX = /usr/local
MANPREFIX = $(PREFIX)/share/man
DATADIR = $(PREFIX)/share/vmmanager

CC ?= cc
PKG_CONFIG ?= pkg-config

NCURSES_CFLAGS = $(filter-out -D_XOPEN_SOURCE% -D_DEFAULT_SOURCE,$(shell $(PKG_CONFIG) --cflags ncursesw))
NCURSES_LIBS = $(shell $(PKG_CONFIG) --libs ncursesw)
LIBVIRT_CFLAGS = $(shell $(PKG_CONFIG) --cflags libvirt libxml-2.0)
LIBVIRT_LIBS = $(shell $(PKG_CONFIG) --libs libvirt libxml-2.0)
CMOCKA_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka)
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka)

WARN = -std=c11 -Wall -Wextra -Wpedantic
VMM_CPPFLAGS = -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 \
	-DVERSION=\"$(VERSION)\" -DDATADIR=\"$(DATADIR)\" -Isrc -I.
VMM_CFLAGS = $(WARN) -O2 -g $(CFLAGS)
VMM_LDFLAGS = -pthread $(LDFLAGS)
