/*
 * tmpreg.h - temporary files removed when a stage is killed.
 *
 * An output is written to a temporary file and renamed into place
 * (csv_writer.h); a stage killed by SIGTERM, SIGINT or SIGHUP in between
 * would leave that file behind, full of personal data. Every temporary
 * file is registered here while it exists: the first registration installs
 * handlers for the three signals (only where the action is the default:
 * not for one inherited as ignored, nor over the driver's own handler) that
 * unlink every registered path - the only thing they do, from a fixed
 * table, so async-signal-safe - and then die by the same signal with its
 * default action (exit status 128+N). SIGKILL cannot be caught: the driver
 * removes the whole run directory of a killed run.
 *
 * A registered path is relative to the working directory at registration;
 * a stage never changes it. At most ANGKA_TMPREG_MAX files at once; past
 * that a file is not registered (the call returns -1).
 */
#ifndef ANGKA_TMPREG_H
#define ANGKA_TMPREG_H

enum { ANGKA_TMPREG_MAX = 64 };

/* Register path (copied; up to 4095 bytes): its slot, or -1 if the table
 * is full or the path too long. */
int angka_tmpreg_add(const char *path);
/* mkstemp(tmpl) (mode 0600) and register the file, with the stop signals
 * blocked in between; the fd, its slot in *slot (-1 if not registered). */
int angka_tmpreg_mkstemp(char *tmpl, int *slot);
/* Forget slot (after the file is renamed or unlinked); -1 is ignored. */
void angka_tmpreg_remove(int slot);

#endif
