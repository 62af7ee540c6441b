# make_formats.R - writes survey.dta (Stata 14) and survey.sav (SPSS) from
# survey.csv with R haven: region labelled 1 Balangan, 2 Tabalong,
# 3 Hulu Sungai Utara; umur with missing values (Stata: . and the tagged
# .a; SPSS: NA and the user-missing code 999); tgl a date; nik a double.
# Run from this directory: Rscript make_formats.R
library(haven)
d <- read.csv("survey.csv", colClasses = c(id = "character",
              tgl = "character", nama = "character"))
regions <- c("Balangan" = 1, "Tabalong" = 2, "Hulu Sungai Utara" = 3)
d$tgl <- as.Date(d$tgl)
d$region <- as.integer(d$region)

dta <- d
dta$region <- labelled(dta$region, regions, label = "Kabupaten")
# R05's missing age is Stata's .a ("not asked"), R02's the plain '.'.
umur <- as.double(dta$umur)
umur[dta$id == "R05"] <- tagged_na("a")
dta$umur <- labelled(umur, c("tidak ditanya" = tagged_na("a")),
                     label = "Umur (tahun)")
attr(dta$kapita, "label") <- "Pengeluaran per kapita"
write_dta(dta, "survey.dta", version = 14)

sav <- d
sav$region <- labelled_spss(sav$region, regions, label = "Kabupaten")
# R05's age is the user-missing code 999 (SPSS shows it, angka reads empty).
umur <- as.double(sav$umur)
umur[sav$id == "R05"] <- 999
sav$umur <- labelled_spss(umur, c("tidak ditanya" = 999), na_values = 999,
                          label = "Umur (tahun)")
attr(sav$kapita, "label") <- "Pengeluaran per kapita"
write_sav(sav, "survey.sav")

# The other formats libreadstat reads, without labels.
write_sav(d, "survey.zsav", compress = "zsav")
write_xpt(d, "survey.xpt", version = 8)
write_sas(d, "survey.sas7bdat")
