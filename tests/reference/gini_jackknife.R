# Cross-check of tests/reference/gini_jackknife.py's delete-one-PSU jackknife
# against R survey's JKn replicates (not run by make test; needs r-cran-survey):
#   Rscript tests/reference/gini_jackknife.R out/private/normalized/susenas_balangan_2024.csv
# prints the jackknife SE of the Gini for the total and every kecamatan; on
# 2024 it equals the se_jk column of expected/gini_jackknife.csv to 12 digits
# (total 0.0116241648357, 63.11.01 0.0176552898497, 63.11.08 0.091076564196).
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], colClasses = c(psu = "character", strata = "character",
                                      kode_wilayah = "character"))
gini <- function(y, w) {
  o <- order(y); y <- y[o]; w <- w[o]; k <- w > 0; y <- y[k]; w <- w[k]
  r <- cumsum(w)
  sum((2 * r - w) * y * w) / (sum(w) * sum(y * w)) - 1
}
des <- svydesign(ids = ~psu, strata = ~strata, weights = ~bobot, data = d,
                 nest = TRUE)
rep <- as.svrepdesign(des, type = "JKn")
r <- withReplicates(rep, function(w, data) gini(data$kapita, w))
cat("total", sprintf("%.12g", SE(r)), "\n")
for (k in sort(unique(d$kode_wilayah))) {
  s <- subset(rep, kode_wilayah == k)
  r <- withReplicates(s, function(w, data) gini(data$kapita, w))
  cat(k, sprintf("%.12g", SE(r)), "\n")
}
