#!/bin/sh
# Every (re)boot: vsftpd on this host's own address, port 21 (plain FTP and explicit FTPS).
exec /usr/local/sbin/nas-ftp start
