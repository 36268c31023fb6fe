C360.tokens("616e",["anil",3,"anjali",11]);
