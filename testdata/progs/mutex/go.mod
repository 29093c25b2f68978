module example.com/mutex

go 1.19
