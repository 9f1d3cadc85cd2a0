module modsmith.test/render

go 1.19
