C360.tokens("746f",["tom",2]);
