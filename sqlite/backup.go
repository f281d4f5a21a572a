package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// BackupFileMode is the mode of a backup file and of a restored store: the
// journal names banks and parties, so only the hub's user may read it.
const BackupFileMode = 0o600

// Backup writes a consistent copy of the store at path to out with SQLite's
// VACUUM INTO, while a hub may be writing to it: in WAL mode the copy is one
// read transaction, a snapshot as of its start, and it takes no write lock,
// so the hub's commits go on. The copy is made under a temporary name beside
// out, fsynced, made BackupFileMode and then linked to out, so that out is
// either absent or complete. Backup refuses an out that exists.
func Backup(ctx context.Context, path, out string) error {
	if _, err := os.Lstat(out); err == nil {
		return fmt.Errorf("backup to %s: the file exists", out)
	}
	tmpDir, err := os.MkdirTemp(filepath.Dir(out), ".corridor-backup-")
	if err != nil {
		return fmt.Errorf("backup to %s: %w", out, err)
	}
	defer func() { _ = os.RemoveAll(tmpDir) }() // After the link it holds only the temporary name.
	tmp := filepath.Join(tmpDir, "corridor.db")
	if err := vacuumInto(ctx, path, tmp); err != nil {
		return fmt.Errorf("backup %s: %w", path, err)
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("backup to %s: %w", out, err)
	}
	if err := os.Link(tmp, out); err != nil { // Unlike rename, link refuses an out made meanwhile.
		return fmt.Errorf("backup to %s: %w", out, err)
	}
	return syncDir(filepath.Dir(out))
}

// vacuumInto copies the store at path into the new file tmp.
func vacuumInto(ctx context.Context, path, tmp string) error {
	if _, err := os.Stat(path); err != nil { // Opening a missing store would make an empty one.
		return err
	}
	db, err := openForAudit(ctx, path) // Neither migrates nor writes the source.
	if err != nil {
		return err
	}
	_, err = db.sql.ExecContext(ctx, "VACUUM INTO ?", tmp)
	err = errors.Join(err, db.Close())
	if err != nil {
		return fmt.Errorf("vacuum into %s: %w", tmp, err)
	}
	return prepareCopy(ctx, tmp)
}

// prepareCopy puts the copy at path in WAL mode, as the store is, so that
// opening it to audit or restore does not rewrite its header, and drops its
// rows of snapshot files: a backup is one file, the snapshot files stay
// behind, and a store restored from it replays its journal and snapshots
// anew instead of looking for files it does not have.
func prepareCopy(ctx context.Context, path string) error {
	sdb, err := openSQL(path) // Its DSN sets journal_mode=WAL.
	if err != nil {
		return err
	}
	err = checkDurability(ctx, sdb)
	if err == nil {
		err = dropSnapshotFileRows(ctx, sdb)
	}
	if err = errors.Join(err, sdb.Close()); err != nil {
		return fmt.Errorf("prepare the copy %s: %w", path, err)
	}
	return nil
}

// dropSnapshotFileRows empties snapshot_file, where the schema has it (a
// store of an earlier build, not migrated, has not).
func dropSnapshotFileRows(ctx context.Context, sdb *sql.DB) error {
	var tables int
	if err := sdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'snapshot_file'`).Scan(&tables); err != nil {
		return err
	}
	if tables == 0 {
		return nil
	}
	_, err := sdb.ExecContext(ctx, `DELETE FROM snapshot_file`)
	return err
}

// Restore copies the backup file at backup to path, a store that must not
// exist yet, through a temporary name beside it, and fsyncs it and its
// directory. It checks nothing of the content: the caller audits the backup
// first and opens the restored store after.
func Restore(backup, path string) error {
	for _, p := range []string{path, path + "-wal", path + "-shm", snapshotDir(path)} {
		if _, err := os.Lstat(p); !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("restore into %s: %s exists (or cannot be checked: %v); restore into a new data directory", path, p, err)
		}
	}
	tmp := path + ".restore"
	if err := copyFile(backup, tmp); err != nil {
		return errors.Join(fmt.Errorf("restore %s: %w", backup, err), removeIfExists(tmp))
	}
	if err := os.Link(tmp, path); err != nil {
		return errors.Join(fmt.Errorf("restore into %s: %w", path, err), removeIfExists(tmp))
	}
	if err := os.Remove(tmp); err != nil {
		return fmt.Errorf("restore into %s: %w", path, err)
	}
	return RemoveMark(path) // A mark left of an earlier store would refuse the restored one; RemoveMark syncs the directory.
}

// copyFile writes a copy of from to the new file to, with BackupFileMode,
// and fsyncs it.
func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer func() { _ = src.Close() }() // Read only.
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, BackupFileMode)
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, src)
	if err == nil {
		err = dst.Sync()
	}
	return errors.Join(err, dst.Close())
}

// syncFile makes path BackupFileMode and fsyncs it.
func syncFile(path string) error {
	if err := os.Chmod(path, BackupFileMode); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

// syncDir fsyncs a directory, so that a name just made in it is durable.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	if err := errors.Join(f.Sync(), f.Close()); err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}

// removeIfExists removes path; a path that is not there is no error.
func removeIfExists(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
