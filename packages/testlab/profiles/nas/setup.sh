#!/bin/sh
# Once, at host creation: the `backup` account (FTP password, SSH key for SFTP), its data dir.
set -eu
mkdir -p /etc/nas
chmod 700 /etc/nas
# Debian already has a system user `backup` (uid 34, /var/backups, nologin): give it a login
# shell and a home of its own; create it where it does not exist.
if id backup >/dev/null 2>&1; then
  usermod -s /bin/bash -d /home/backup backup
else
  useradd -d /home/backup -s /bin/bash backup
fi
install -d -m 755 -o backup -g backup /home/backup
# vsftpd's PAM stack checks pam_shells and /etc/ftpusers (docs/platforms/proxmox.md, off-site upload).
grep -qx /bin/bash /etc/shells || echo /bin/bash >> /etc/shells
[ -f /etc/ftpusers ] && sed -i '/^backup$/d' /etc/ftpusers
pw=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$pw" > /etc/nas/backup.password
chmod 600 /etc/nas/backup.password
echo "backup:$pw" | chpasswd
# SFTP goes through the host's sshd, which takes keys only: a key pair for the backup account.
rm -f /etc/nas/backup_key /etc/nas/backup_key.pub
ssh-keygen -q -t ed25519 -N '' -C backup@nas -f /etc/nas/backup_key
install -d -m 700 -o backup -g backup /home/backup/.ssh
install -m 600 -o backup -g backup /etc/nas/backup_key.pub /home/backup/.ssh/authorized_keys
chmod 755 /home/backup
