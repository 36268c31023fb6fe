C360.tokens("616e",["anil",40,"anil",41,"anil.sharma@yahoo.in",42,"anjali",21]);
