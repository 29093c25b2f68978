module example.com/snaps

go 1.19
