# xlsx_readxl.R BOOK.xlsx TABLE.csv - a second independent reader (R
# readxl, Debian r-cran-readxl: its own zip and XML parsing) reads the
# first sheet of BOOK.xlsx; every cell must be the CSV's: a number cell
# equal to the CSV's text read as a double, a text cell equal to the
# text, an empty cell empty. Prints "readxl: same N cells" or the first
# differences (exit 1). Optional in the tests: run where readxl is
# installed.
a <- commandArgs(TRUE)
x <- readxl::read_excel(a[1], col_names = FALSE, col_types = "list",
                        .name_repair = "minimal")
y <- utils::read.csv(a[2], header = FALSE, colClasses = "character",
                     na.strings = character(0), encoding = "UTF-8",
                     check.names = FALSE)
bad <- character(0)
if (nrow(x) != nrow(y) || ncol(x) != ncol(y))
	bad <- sprintf("%d x %d cells, the CSV has %d x %d", nrow(x), ncol(x),
	               nrow(y), ncol(y))
n <- 0
for (j in seq_len(min(ncol(x), ncol(y)))) for (i in seq_len(min(nrow(x), nrow(y)))) {
	v <- x[[j]][[i]]
	t <- y[i, j]
	ok <- if (length(v) != 1 || is.na(v)) t == "" else
	      if (is.numeric(v)) identical(v, as.numeric(t)) else
	      if (is.character(v)) identical(v, t) else FALSE
	if (!ok)
		bad <- c(bad, sprintf("row %d column %d: %s, the CSV has %s", i, j,
		                      format(v, digits = 17), t))
	n <- n + 1
}
if (length(bad)) {
	cat(head(bad, 5), sep = "\n")
	quit(status = 1)
}
cat(sprintf("readxl: same %d cells\n", n))
